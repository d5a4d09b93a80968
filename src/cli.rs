//! The command line: `serve`, `migrate`, `backup`, `demo` (with the `demo` feature; the command
//! itself is `crate::demo::run`), `user add`, `token create`, `bridge create`, `bridge pin-key`. Wrong
//! arguments or bad values print one line on stderr and exit with code 2.

use std::io::Read;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};

use clap::{Args, Parser, Subcommand};

use crate::clock::Clock;
use crate::config::{Overrides, Settings};
#[cfg(feature = "demo")]
use crate::demo::run::{DemoError, run_demo};
use crate::domain::ids::HubId;
use crate::domain::role::Role;
use crate::secrets::{SecretKey, write_pin_key_file};
use crate::service::{ServiceError, UnitOfWork, accounts, bridge_link};
use crate::startup::{Application, StartupError, prepare_database};

/// RegioHub: book desks, rooms and equipment in the RegioHubs; doors open only for bookings.
#[derive(Debug, Parser)]
#[command(name = "regiohub", version, about)]
pub struct Cli {
    /// A TOML configuration file (default: ./regiohub.toml when present).
    #[arg(long, global = true, env = "REGIOHUB_CONFIG")]
    pub config: Option<PathBuf>,
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Run the web service.
    Serve(ServeArgs),
    /// Apply pending database migrations and exit.
    Migrate(DataArgs),
    /// Copy the SQLite database to a new file while the service runs, and check the copy.
    Backup(BackupArgs),
    /// Seed the five demo hubs and serve them (SQLite ./data/demo.db unless DATABASE_URL is set),
    /// with Polch's door bridge, simulated devices and keypads in process.
    #[cfg(feature = "demo")]
    Demo(DemoArgs),
    /// Manage users.
    #[command(subcommand)]
    User(UserCommand),
    /// Manage personal API tokens.
    #[command(subcommand)]
    Token(TokenCommand),
    /// Manage the hubs' door bridges.
    #[command(subcommand)]
    Bridge(BridgeCommand),
}

#[derive(Debug, Args)]
pub struct ServeArgs {
    /// Address to listen on.
    #[arg(long, value_name = "ADDR")]
    pub listen: Option<SocketAddr>,
    #[command(flatten)]
    pub data: DataArgs,
}

#[cfg(feature = "demo")]
#[derive(Debug, Args)]
pub struct DemoArgs {
    #[command(flatten)]
    pub serve: ServeArgs,
    /// Where the demo bridge serves door controllers (Modbus TCP).
    #[arg(long, value_name = "ADDR", default_value = "127.0.0.1:1502")]
    pub modbus_listen: SocketAddr,
}

#[derive(Debug, Args)]
pub struct BackupArgs {
    /// The backup file to write; it must not exist yet.
    #[arg(long, value_name = "FILE")]
    pub out: PathBuf,
    #[command(flatten)]
    pub data: DataArgs,
}

#[derive(Debug, Args)]
pub struct DataArgs {
    /// Folder for the SQLite database and e-mail files.
    #[arg(long, value_name = "DIR")]
    pub data_dir: Option<PathBuf>,
}

#[derive(Debug, Subcommand)]
pub enum UserCommand {
    /// Create a user; prints a generated password unless --password-stdin is given.
    Add {
        #[arg(long)]
        email: String,
        #[arg(long)]
        name: String,
        /// member, admin, or manager:<hub> (hub slug or id).
        #[arg(long, value_parser = parse_role)]
        role: Role,
        /// Read the password from standard input instead of generating one.
        #[arg(long)]
        password_stdin: bool,
        #[command(flatten)]
        data: DataArgs,
    },
}

#[derive(Debug, Subcommand)]
pub enum TokenCommand {
    /// Create a personal API token and print it (only its hash is stored).
    Create {
        #[arg(long)]
        email: String,
        /// A label to recognise the token by.
        #[arg(long, default_value = "cli")]
        name: String,
        #[command(flatten)]
        data: DataArgs,
    },
}

#[derive(Debug, Subcommand)]
pub enum BridgeCommand {
    /// Register a hub's bridge and print its token once (only its hash is stored).
    Create {
        /// The hub's slug or id.
        #[arg(long)]
        hub: String,
        /// A label to recognise the bridge by.
        #[arg(long)]
        name: String,
        /// Also write the hub's PIN key for the bridge's `bridge.pin_key_file` here (mode 0600).
        #[arg(long, value_name = "FILE")]
        pin_key_out: Option<PathBuf>,
        #[command(flatten)]
        data: DataArgs,
    },
    /// Write a hub's PIN key (hex) for its bridge's `bridge.pin_key_file` (mode 0600).
    PinKey {
        /// The hub's slug or id.
        #[arg(long)]
        hub: String,
        /// The file to write; an existing one is replaced.
        #[arg(long, value_name = "FILE")]
        out: PathBuf,
        #[command(flatten)]
        data: DataArgs,
    },
}

fn parse_role(value: &str) -> Result<Role, String> {
    Role::parse(value).map_err(|e| e.to_string())
}

/// An error to report on one line, with the exit code it deserves.
#[derive(Debug)]
pub struct CliError {
    pub message: String,
    /// 2 for bad input, 1 for a failure of the system.
    pub exit_code: i32,
}

impl CliError {
    fn usage(message: impl Into<String>) -> CliError {
        CliError { message: message.into(), exit_code: 2 }
    }

    fn failure(message: impl Into<String>) -> CliError {
        CliError { message: message.into(), exit_code: 1 }
    }
}

impl From<ServiceError> for CliError {
    fn from(error: ServiceError) -> CliError {
        match error {
            ServiceError::Db(e) => CliError::failure(e.to_string()),
            ServiceError::NotFound => CliError::usage("no such user"),
            other => CliError::usage(other.to_string()),
        }
    }
}

#[cfg(feature = "demo")]
impl From<DemoError> for CliError {
    fn from(error: DemoError) -> CliError {
        match error {
            DemoError::Service(error) => error.into(),
            DemoError::Failed(message) => CliError::failure(message),
        }
    }
}

/// Runs one command.
///
/// # Errors
/// A one-line message and an exit code.
pub async fn run(cli: Cli) -> Result<(), CliError> {
    let config = cli.config.clone();
    let load = |listen: Option<SocketAddr>, data: &DataArgs| {
        Settings::load(config.as_deref(), &Overrides { listen, data_dir: data.data_dir.clone() })
            .map_err(|e| CliError::usage(e.to_string()))
    };
    match cli.command {
        Command::Serve(args) => {
            let settings = load(args.listen, &args.data)?;
            crate::telemetry::init(&settings.log);
            let app = Application::build(settings, Clock::System).await.map_err(|e| match e {
                // A configuration error: exit 2, which the systemd unit does not restart.
                StartupError::SecretMismatch => CliError::usage(e.to_string()),
                other => CliError::failure(other.to_string()),
            })?;
            tracing::info!(port = app.port(), "serving");
            app.run_until_stopped().await.map_err(|e| CliError::failure(e.to_string()))
        }
        Command::Migrate(data) => {
            let settings = load(None, &data)?;
            crate::telemetry::init(&settings.log);
            blocking(move || prepare_database(&settings).map(|_| ()).map_err(|e| CliError::failure(e.to_string())))
                .await?;
            println!("database is up to date");
            Ok(())
        }
        Command::Backup(args) => {
            let settings = load(None, &args.data)?;
            let out = args.out.clone();
            let size = blocking(move || {
                crate::db::backup::backup_sqlite(&settings.effective_database_url(), &out).map_err(|e| {
                    if e.is_bad_input() { CliError::usage(e.to_string()) } else { CliError::failure(e.to_string()) }
                })
            })
            .await?;
            println!("backup written to {} ({size} bytes)", args.out.display());
            Ok(())
        }
        #[cfg(feature = "demo")]
        Command::Demo(args) => Ok(run_demo(load(args.serve.listen, &args.serve.data)?, args.modbus_listen).await?),
        Command::User(UserCommand::Add { email, name, role, password_stdin, data }) => {
            let settings = load(None, &data)?;
            let (password, generated) =
                if password_stdin { (read_password()?, false) } else { (accounts::generate_password(), true) };
            let to_store = password.clone();
            blocking(move || {
                let mut conn = open_database(&settings)?;
                accounts::add_user(
                    &mut UnitOfWork::new(&mut conn),
                    &email,
                    &name,
                    &role,
                    &to_store,
                    chrono::Utc::now(),
                )?;
                Ok(())
            })
            .await?;
            if generated {
                println!("user created; password: {password}");
            } else {
                println!("user created");
            }
            Ok(())
        }
        Command::Token(TokenCommand::Create { email, name, data }) => {
            let settings = load(None, &data)?;
            let secret = blocking(move || {
                let mut conn = open_database(&settings)?;
                let (_, secret) =
                    accounts::create_api_token(&mut UnitOfWork::new(&mut conn), &email, &name, chrono::Utc::now())?;
                Ok(secret)
            })
            .await?;
            println!("{secret}");
            Ok(())
        }
        Command::Bridge(BridgeCommand::Create { hub, name, pin_key_out, data }) => {
            let settings = load(None, &data)?;
            // The key file first: should it fail, no bridge exists whose token nobody saw.
            if let Some(out) = &pin_key_out {
                write_hub_pin_key(settings.clone(), hub.clone(), out).await?;
            }
            let token = blocking(move || {
                let mut conn = open_database(&settings)?;
                let hub_id = hub_named(&mut conn, &hub)?;
                let created = crate::service::bridge_link::create_bridge(&mut conn, &hub_id, &name, chrono::Utc::now());
                Ok(created.map_err(|e| hub_error(e, &hub))?.1)
            })
            .await?;
            println!("{token}");
            match pin_key_out {
                Some(out) => eprintln!("{}", pin_key_note(&out)),
                None => eprintln!(
                    "The bridge also needs this hub's PIN key: `regiohub bridge pin-key --hub <hub> --out pin_key.hex`."
                ),
            }
            Ok(())
        }
        Command::Bridge(BridgeCommand::PinKey { hub, out, data }) => {
            write_hub_pin_key(load(None, &data)?, hub, &out).await?;
            println!("{}", pin_key_note(&out));
            Ok(())
        }
    }
}

/// Migrates the database if need be and opens one connection that may write (the service's
/// pool only reads on SQLite), for a command that runs once.
fn open_database(settings: &Settings) -> Result<crate::db::DbConn, CliError> {
    prepare_database(settings).map_err(|e| CliError::failure(e.to_string()))?;
    crate::db::establish(&settings.effective_database_url()).map_err(|e| CliError::failure(e.to_string()))
}

/// The id of the hub the command names by id or slug; an unknown one is a usage error.
fn hub_named(conn: &mut crate::db::DbConn, hub: &str) -> Result<HubId, CliError> {
    match crate::db::catalog::find_hub(conn, hub) {
        Ok(Some(found)) => Ok(found.id),
        Ok(None) => Err(hub_error(ServiceError::NotFound, hub)),
        Err(error) => Err(CliError::failure(error.to_string())),
    }
}

/// A service error of a command about a hub: "not found" names the hub, not a user.
fn hub_error(error: ServiceError, hub: &str) -> CliError {
    match error {
        ServiceError::NotFound => CliError::usage(format!("no such hub: {hub}")),
        other => other.into(),
    }
}

/// Writes the PIN key of `hub` to `out` (never printed, never logged).
async fn write_hub_pin_key(settings: Settings, hub: String, out: &Path) -> Result<(), CliError> {
    let key = blocking(move || {
        let secret = SecretKey::load_or_create(&settings.secret_key, &settings.data_dir)
            .map_err(|e| CliError::failure(e.to_string()))?;
        let mut conn = open_database(&settings)?;
        // A key from another secret would make the bridge refuse every PIN the service mails.
        crate::startup::check_shared_secret(&mut conn, &secret).map_err(|e| CliError::usage(e.to_string()))?;
        let hub_id = hub_named(&mut conn, &hub)?;
        bridge_link::hub_pin_key(&mut conn, &secret, &hub_id).map_err(|e| hub_error(e, &hub))
    })
    .await?;
    write_pin_key_file(out, &key).map_err(|e| CliError::failure(format!("{}: {e}", out.display())))
}

fn pin_key_note(out: &Path) -> String {
    format!(
        "The hub's PIN key is in {} (mode 0600). Copy it to the bridge, readable only by the bridge's user, \
         and name it in bridge.pin_key_file; keep it as secret as the token.",
        out.display()
    )
}

fn read_password() -> Result<String, CliError> {
    let mut input = String::new();
    std::io::stdin().read_to_string(&mut input).map_err(|e| CliError::usage(format!("--password-stdin: {e}")))?;
    let password = input.trim_end_matches(['\r', '\n']).to_owned();
    if password.is_empty() {
        return Err(CliError::usage("--password-stdin: no password on standard input"));
    }
    Ok(password)
}

async fn blocking<T: Send + 'static>(
    work: impl FnOnce() -> Result<T, CliError> + Send + 'static,
) -> Result<T, CliError> {
    tokio::task::spawn_blocking(work).await.map_err(|e| CliError::failure(e.to_string()))?
}
