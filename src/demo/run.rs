//! Start-up level: what `regiohub demo` does once its arguments are read: seed the demo, serve it
//! with the keypad pages, start Polch's door loop and print how to try it all. The command line
//! (`crate::cli`) parses the arguments and turns a [`DemoError`] into its one line and exit code.

use std::net::SocketAddr;

use crate::clock::Clock;
use crate::config::{MailTransport, Settings};
use crate::db;
use crate::service::{ServiceError, UnitOfWork, accounts};
use crate::startup::{Application, build_state, prepare_database};

use super::door_bridge::{self, DEMO_DOOR_HUB};
use super::door_loop::{DemoLoop, DemoLoopSettings, reachable};
use super::door_page::{self, DemoDoorSlot};
use super::logins::DEMO_LOGINS;
use super::seed;

/// Why `regiohub demo` stopped.
#[derive(Debug, thiserror::Error)]
pub enum DemoError {
    /// Seeding was refused or failed; reported like any use case's error.
    #[error(transparent)]
    Service(#[from] ServiceError),
    /// The system failed: the database, the listen address, the door loop.
    #[error("{0}")]
    Failed(String),
}

fn failed(error: impl ToString) -> DemoError {
    DemoError::Failed(error.to_string())
}

/// Seeds the demo (SQLite `<data_dir>/demo.db` unless a database URL is set) and serves it,
/// with Polch's door bridge, simulated devices and keypads in process, until stopped.
///
/// # Errors
/// See [`DemoError`].
pub async fn run_demo(mut settings: Settings, modbus_listen: SocketAddr) -> Result<(), DemoError> {
    crate::telemetry::init(&settings.log);
    if settings.database_url.trim().is_empty() {
        settings.database_url = settings.data_dir.join("demo.db").to_string_lossy().into_owned();
    }
    let prepared = settings.clone();
    let state = blocking(move || {
        let pool = prepare_database(&prepared).map_err(failed)?;
        build_state(pool, Clock::System, prepared).map_err(failed)
    })
    .await?;
    let seeding = state.clone();
    let (token, (layout, bridge_token)) = blocking(move || {
        // The seeding writes outside any unit of work, on a connection of its own: the
        // service's pool only reads on SQLite.
        let mut conn = db::establish(&seeding.settings.effective_database_url()).map_err(failed)?;
        let now = chrono::Utc::now();
        seed::seed_demo(&mut conn, &seeding.context, now)?;
        let (_, token) =
            accounts::create_api_token(&mut UnitOfWork::new(&mut conn), DEMO_LOGINS[0].email, "demo", now)?;
        let link = door_bridge::demo_bridge_link(&mut conn, DEMO_DOOR_HUB, now)?;
        Ok((token, link))
    })
    .await?;
    let pin_key = state.context.secret.hub_pin_key(&layout.hub_id);
    let bridge_dir = state.settings.data_dir.join("demo-bridge");
    let backend = match db::Backend::from_url(&settings.database_url) {
        db::Backend::Sqlite => format!("SQLite {}", settings.database_url),
        db::Backend::Postgres => "PostgreSQL (DATABASE_URL)".to_owned(),
    };
    let mail_note = match state.settings.mail.transport {
        MailTransport::File => {
            format!("E-mails are written as .eml files to {}", state.settings.data_dir.join("mail").display())
        }
        MailTransport::Smtp => "E-mails go to the configured SMTP server".to_owned(),
        MailTransport::Memory => "E-mails are kept in memory only".to_owned(),
    };
    let listen = state.settings.listen;
    let slot = DemoDoorSlot::default();
    let app = Application::with_routes(state, door_page::routes(slot.clone())).map_err(failed)?;
    // The address a browser (and the bridge) can reach, also when listening on all interfaces.
    let base = format!("http://{}", reachable(SocketAddr::new(listen.ip(), app.port())));
    let central_url = base.clone();
    let doors = layout.doors.clone();
    let hub_name = layout.name.clone();
    let door_loop = DemoLoop::start(DemoLoopSettings {
        layout,
        token: bridge_token,
        pin_key,
        central_url,
        modbus_listen,
        dir: bridge_dir,
    })
    .await
    .map_err(failed)?;
    slot.install(door_loop.site());
    println!("RegioHub demo on {base}  (database: {backend})");
    println!("Demo logins (public, for the demo only):");
    for login in &DEMO_LOGINS {
        println!("  {:<14} {:<42} {}", login.role, login.email, login.password);
    }
    println!("API token of the demo member: {token}");
    println!("  try: curl -H 'Authorization: Bearer {token}' {base}/api/v1/hubs");
    println!("{mail_note}");
    println!("Door loop: the bridge of {hub_name} runs in this process, with simulated devices.");
    println!("  Keypads and presence switches: {base}/demo  (book as the member, open the entrance, type the PIN)");
    println!("  Door controllers (Modbus TCP) reach the bridge at {modbus_listen}:");
    for door in &doors {
        println!("    unit {:<3} {:<32} {base}/demo/door/{}", door.unit_id, door.name, door.id);
    }
    let served = app.run_until_stopped().await;
    door_loop.stop().await;
    served.map_err(failed)
}

/// Runs database work off the async executor.
async fn blocking<T: Send + 'static>(
    work: impl FnOnce() -> Result<T, DemoError> + Send + 'static,
) -> Result<T, DemoError> {
    tokio::task::spawn_blocking(work).await.map_err(failed)?
}
