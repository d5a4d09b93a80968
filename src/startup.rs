//! Building the running service: the database (migrated), the shared state and the HTTP
//! server on a bound port. Tests call [`Application::build`] with port 0 and get the real app.

use std::net::TcpListener;
use std::sync::Arc;
use std::time::Duration;

use actix_web::dev::Server;
use actix_web::{App, HttpServer, web};
use tracing_actix_web::TracingLogger;

use crate::clock::Clock;
use crate::config::Settings;
use crate::db::{self, DbError, DbPool, migrations};
use crate::jobs::Jobs;
use crate::mail::{MailError, Mailer};
use crate::secrets::{SecretError, SecretKey};
use crate::service::ServiceContext;
use crate::service::announcements::{InstanceId, Listener};
use crate::service::password_gate::PasswordGate;
use crate::state::AppState;

/// Why the service could not start.
#[derive(Debug, thiserror::Error)]
pub enum StartupError {
    #[error("database: {0}")]
    Database(#[from] DbError),
    #[error("data folder {path}: {source}")]
    DataDir { path: String, source: std::io::Error },
    #[error("cannot listen on {address}: {source}")]
    Listen { address: String, source: std::io::Error },
    #[error("{0}")]
    Secret(#[from] SecretError),
    #[error("{0}")]
    Mail(#[from] MailError),
    #[error("cannot start the password threads: {0}")]
    PasswordWorkers(std::io::Error),
    #[error(
        "the secret key is not the one this database's PINs were made with: give every instance the \
         same secret_key (README: Running it for a county)"
    )]
    SecretMismatch,
    #[error("cannot start listening for other instances: {0}")]
    Listener(std::io::Error),
}

/// Creates the data folder when the database is a SQLite file in it, runs pending migrations
/// and opens the pool.
///
/// # Errors
/// When the folder cannot be made, the database cannot be reached, or a migration fails.
pub fn prepare_database(settings: &Settings) -> Result<DbPool, StartupError> {
    let url = settings.effective_database_url();
    if db::Backend::from_url(&url) == db::Backend::Sqlite {
        let path = std::path::Path::new(url.strip_prefix("sqlite://").unwrap_or(&url));
        if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
            std::fs::create_dir_all(parent)
                .map_err(|source| StartupError::DataDir { path: parent.display().to_string(), source })?;
        }
    }
    let mut conn = db::establish(&url)?;
    let applied = migrations::run_pending(&mut conn)?;
    if applied > 0 {
        tracing::info!(migrations = applied, "database migrated");
    }
    drop(conn);
    Ok(db::connect_pool(&url, settings.db_pool_size, Duration::from_millis(settings.db_checkout_timeout_ms))?)
}

/// The shared state for a prepared database: loads (or makes) the secret key and sets up the
/// mail transport.
///
/// # Errors
/// When the secret key file cannot be read or written, or the mail settings are unusable.
pub fn build_state(pool: DbPool, clock: Clock, settings: Settings) -> Result<AppState, StartupError> {
    let secret = SecretKey::load_or_create(&settings.secret_key, &settings.data_dir)?;
    let writer = db::writer::SqliteWriter::open_for(&settings.effective_database_url())?.map(Arc::new);
    match &writer {
        // SQLite's pool only reads; the check may write the first value.
        Some(writer) => check_shared_secret(&mut *writer.lock()?, &secret)?,
        None => check_shared_secret(&mut *pool.get().map_err(DbError::from)?, &secret)?,
    }
    let mailer = Mailer::from_settings(&settings)?;
    let context = ServiceContext::new(&settings, secret);
    let passwords = PasswordGate::start(settings.password_workers as usize, settings.password_queue as usize)
        .map_err(StartupError::PasswordWorkers)?;
    let db_slots = Arc::new(tokio::sync::Semaphore::new(settings.db_pool_size as usize));
    Ok(AppState {
        db_slots,
        writer,
        pool,
        clock,
        settings: Arc::new(settings),
        context,
        mailer,
        pin_reveals: Default::default(),
        hub_signals: Default::default(),
        snapshot_pacing: Default::default(),
        instance: InstanceId::random(),
        dashboards: Default::default(),
        passwords,
        metrics: crate::metrics::Metrics::new(),
    })
}

/// Refuses a secret other than the one this database's PINs were made with: every instance on
/// one database must derive the same hub PIN keys, or a PIN one instance mails is refused at the
/// door (its bridge checks with the key of the secret it was set up with). The first instance
/// on a database leaves the secret's check value there.
///
/// # Errors
/// `SecretMismatch` when the database holds another secret's check value.
pub fn check_shared_secret(conn: &mut db::DbConn, secret: &SecretKey) -> Result<(), StartupError> {
    let kept = db::secret_check::keep_first(conn, &secret.check_value())?;
    if kept != secret.check_value() {
        return Err(StartupError::SecretMismatch);
    }
    Ok(())
}

/// The web service, bound and ready to run, with its background jobs.
pub struct Application {
    port: u16,
    server: Server,
    state: AppState,
    jobs: Jobs,
    /// Hears the other instances' announcements (PostgreSQL only).
    listener: Option<Listener>,
}

impl Application {
    /// Prepares the database, binds the listen address and builds the server.
    ///
    /// # Errors
    /// See [`StartupError`].
    pub async fn build(settings: Settings, clock: Clock) -> Result<Application, StartupError> {
        Application::build_with_routes(settings, clock, |_: &mut web::ServiceConfig| {}).await
    }

    /// As [`Application::build`], with `extra` routes beside the service's own (the tests mount
    /// the demo's keypad pages this way).
    ///
    /// # Errors
    /// As [`Application::build`].
    pub async fn build_with_routes(
        settings: Settings,
        clock: Clock,
        extra: impl Fn(&mut web::ServiceConfig) + Clone + Send + 'static,
    ) -> Result<Application, StartupError> {
        let prepared = settings.clone();
        let pool = tokio::task::spawn_blocking(move || prepare_database(&prepared))
            .await
            .map_err(|e| StartupError::Database(DbError::Task(e.to_string())))??;
        let state = build_state(pool, clock, settings)?;
        Application::with_routes(state, extra)
    }

    /// Builds the server on an already prepared state (the demo seeds first) and starts the
    /// background jobs (mail, reminders). Call it inside the Tokio runtime.
    ///
    /// # Errors
    /// When the listen address cannot be bound.
    pub fn with_state(state: AppState) -> Result<Application, StartupError> {
        Application::with_routes(state, |_: &mut web::ServiceConfig| {})
    }

    /// As [`Application::with_state`], with `extra` routes beside the service's own (the
    /// demo's keypad pages exist only in `regiohub demo`).
    ///
    /// # Errors
    /// When the listen address cannot be bound.
    pub fn with_routes(
        state: AppState,
        extra: impl Fn(&mut web::ServiceConfig) + Clone + Send + 'static,
    ) -> Result<Application, StartupError> {
        let address = state.settings.listen;
        let listener = TcpListener::bind(address)
            .map_err(|source| StartupError::Listen { address: address.to_string(), source })?;
        let port = listener
            .local_addr()
            .map_err(|source| StartupError::Listen { address: address.to_string(), source })?
            .port();
        let data = web::Data::new(state.clone());
        let server = HttpServer::new(move || {
            App::new()
                .wrap(actix_web::middleware::from_fn(crate::web::cross_site::refuse_cross_site))
                .wrap(actix_web::middleware::from_fn(crate::web::session::visitor_csrf_cookie))
                .wrap(crate::web::error_pages::error_pages())
                .wrap(actix_web::middleware::from_fn(crate::web::security_headers::security_headers))
                .wrap(TracingLogger::<crate::web::request_span::RequestSpan>::new())
                .wrap(actix_web::middleware::from_fn(crate::web::metrics::observe_request))
                .app_data(data.clone())
                .configure(crate::web::routes)
                .configure(extra.clone())
        })
        .listen(listener)
        .map_err(|source| StartupError::Listen { address: address.to_string(), source })?
        .run();
        let jobs = Jobs::start(&state);
        let listener = start_listener(&state)?;
        Ok(Application { port, server, state, jobs, listener })
    }

    /// The port actually bound (useful with port 0).
    pub fn port(&self) -> u16 {
        self.port
    }

    /// Stops the server from outside (tests restart the service on the same database).
    pub fn server_handle(&self) -> actix_web::dev::ServerHandle {
        self.server.handle()
    }

    /// The state the server runs with.
    pub fn state(&self) -> &AppState {
        &self.state
    }

    /// Serves until the process is told to stop, then stops the background jobs.
    ///
    /// # Errors
    /// When the server fails.
    pub async fn run_until_stopped(self) -> std::io::Result<()> {
        let result = self.server.await;
        self.jobs.stop().await;
        if let Some(listener) = self.listener {
            let _ = tokio::task::spawn_blocking(move || listener.stop()).await;
        }
        result
    }
}

/// On PostgreSQL, starts listening for the other instances' announcements.
fn start_listener(state: &AppState) -> Result<Option<Listener>, StartupError> {
    let url = state.settings.effective_database_url();
    if db::Backend::from_url(&url) != db::Backend::Postgres {
        return Ok(None);
    }
    let listener = Listener::start(url, state.instance.clone(), state.hub_signals.clone(), state.dashboards.clone())
        .map_err(StartupError::Listener)?;
    Ok(Some(listener))
}
