//! Settings of the web service: defaults, then an optional `regiohub.toml`, then environment
//! variables, then command-line flags. Checked once at start; a bad value stops the program with
//! one line that names the setting.

use std::net::SocketAddr;
use std::path::{Path, PathBuf};

use figment::Figment;
use figment::providers::{Env, Format, Serialized, Toml};
use serde::{Deserialize, Serialize};

/// Where e-mails go.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum MailTransport {
    /// `.eml` files under `<data_dir>/mail/` (the demo).
    File,
    /// An SMTP server (production).
    Smtp,
    /// Kept in memory (tests).
    Memory,
}

/// How the SMTP connection is secured.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum SmtpSecurity {
    Starttls,
    Tls,
    /// Only for a relay on the same host.
    None,
}

/// E-mail settings.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MailSettings {
    pub transport: MailTransport,
    pub from: String,
    pub smtp_host: String,
    pub smtp_port: u16,
    pub smtp_security: SmtpSecurity,
    pub smtp_username: String,
    pub smtp_password: String,
    /// How often the outbox tries a mail before it gives up (back-off 1, 2, 4 … minutes, at most
    /// an hour between tries).
    pub max_attempts: u32,
}

impl Default for MailSettings {
    fn default() -> Self {
        MailSettings {
            transport: MailTransport::File,
            from: "RegioHub <noreply@regiohub.invalid>".to_owned(),
            smtp_host: "localhost".to_owned(),
            smtp_port: 587,
            smtp_security: SmtpSecurity::Starttls,
            smtp_username: String::new(),
            smtp_password: String::new(),
            max_attempts: 12,
        }
    }
}

/// All settings. The README has a table of every field; keep it in step.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Settings {
    /// Address the HTTP server listens on.
    pub listen: SocketAddr,
    /// Folder for the SQLite database, e-mail files and the generated secret.
    pub data_dir: PathBuf,
    /// `postgres://…` for PostgreSQL; a file path or `sqlite://…` for SQLite; empty means
    /// `<data_dir>/regiohub.db`.
    pub database_url: String,
    /// Connections in the pool.
    pub db_pool_size: u32,
    /// How long a request waits for a free connection before it fails (milliseconds).
    pub db_checkout_timeout_ms: u64,
    /// The address people reach the service at, used in links in e-mails.
    pub public_url: String,
    /// Key material for PIN verifiers and tokens; empty means "generate once and keep in
    /// `<data_dir>/secret_key`".
    pub secret_key: String,
    /// Log filter in `tracing` syntax, e.g. `info` or `regiohub=debug`.
    pub log: String,
    /// Whether the session cookie is `Secure` (and `__Host-` prefixed). Unset means: when
    /// `public_url` is https. Only plain-HTTP development should turn it off.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cookie_secure: Option<bool>,
    /// A browser session ends after this many minutes without a request.
    pub session_idle_minutes: u32,
    /// A browser session ends this many hours after login, however active.
    pub session_max_hours: u32,
    /// Take the client address for login throttling from the last `X-Forwarded-For` entry (set
    /// this only behind a reverse proxy that appends it); otherwise the peer address counts.
    pub trust_forwarded_for: bool,
    /// How long before a confirmed booking starts its reminder e-mail goes out (minutes);
    /// 0 turns reminders off. Bookings made later than that get no reminder.
    pub reminder_before_minutes: u32,
    /// How long a waitlist offer holds a freed slot for the member it was offered to before the
    /// next one is asked (minutes, at least 1).
    pub waitlist_hold_minutes: u32,
    /// How far ahead (hours) a hub's access snapshot lists bookings; the bridge can decide
    /// offline for about this long.
    pub bridge_snapshot_horizon_hours: u32,
    /// Threads that hash passwords (argon2, 19 MiB each); 0 means one per core.
    pub password_workers: u32,
    /// Password checks that may wait for a thread; more are refused at once with 503 and
    /// `Retry-After`. 0 means eight per thread.
    pub password_queue: u32,
    /// The bearer token a Prometheus scraper sends to `/metrics`; empty means the endpoint does
    /// not exist (404). A secret: never logged.
    pub metrics_token: String,
    pub mail: MailSettings,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            listen: SocketAddr::from(([127, 0, 0, 1], 8080)),
            data_dir: PathBuf::from("data"),
            database_url: String::new(),
            db_pool_size: 10,
            db_checkout_timeout_ms: 5000,
            public_url: "http://127.0.0.1:8080".to_owned(),
            secret_key: String::new(),
            log: "info".to_owned(),
            cookie_secure: None,
            session_idle_minutes: 30,
            session_max_hours: 12,
            trust_forwarded_for: false,
            reminder_before_minutes: 24 * 60,
            waitlist_hold_minutes: 30,
            bridge_snapshot_horizon_hours: 48,
            password_workers: 0,
            password_queue: 0,
            metrics_token: String::new(),
            mail: MailSettings::default(),
        }
    }
}

/// A setting that could not be read or makes no sense.
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct ConfigError(String);

/// Values given on the command line; they win over everything else.
#[derive(Debug, Default, Clone)]
pub struct Overrides {
    pub listen: Option<SocketAddr>,
    pub data_dir: Option<PathBuf>,
}

impl Settings {
    /// Reads defaults, the TOML file (if `config_file` is given it must exist; otherwise
    /// `regiohub.toml` is read when present), `DATABASE_URL` and `REGIOHUB_*` variables
    /// (`REGIOHUB_MAIL__SMTP_HOST` for nested keys), then the overrides.
    ///
    /// # Errors
    /// A one-line description naming the setting that is wrong.
    pub fn load(config_file: Option<&Path>, overrides: &Overrides) -> Result<Settings, ConfigError> {
        let mut figment = Figment::from(Serialized::defaults(Settings::default()));
        match config_file {
            Some(path) if !path.exists() => {
                return Err(ConfigError(format!("{}: configuration file not found", path.display())));
            }
            Some(path) => figment = figment.merge(Toml::file_exact(path)),
            None => figment = figment.merge(Toml::file("regiohub.toml")),
        }
        figment = figment
            .merge(Env::raw().only(&["DATABASE_URL"]).map(|_| "database_url".into()))
            // Only variables that name a setting: other tools use the prefix too (the test
            // suite's REGIOHUB_PYTHON, say), and an unknown key would stop the service.
            .merge(Env::prefixed("REGIOHUB_").filter(|key| is_setting_key(key.as_str())).split("__"));
        let mut settings: Settings = figment.extract().map_err(|e| ConfigError(one_line(&e)))?;
        if let Some(listen) = overrides.listen {
            settings.listen = listen;
        }
        if let Some(dir) = &overrides.data_dir {
            settings.data_dir = dir.clone();
        }
        settings.check()?;
        Ok(settings)
    }

    fn check(&self) -> Result<(), ConfigError> {
        if self.db_pool_size == 0 {
            return Err(ConfigError("db_pool_size: must be at least 1".to_owned()));
        }
        if !(self.public_url.starts_with("http://") || self.public_url.starts_with("https://")) {
            return Err(ConfigError("public_url: must start with http:// or https://".to_owned()));
        }
        if self.session_idle_minutes == 0 {
            return Err(ConfigError("session_idle_minutes: must be at least 1".to_owned()));
        }
        if self.session_max_hours == 0 {
            return Err(ConfigError("session_max_hours: must be at least 1".to_owned()));
        }
        let secret_len = self.secret_key.trim().len();
        if secret_len > 0 && secret_len < crate::secrets::MIN_SECRET_LEN {
            return Err(ConfigError(format!(
                "secret_key: must hold at least {} characters (or be empty to generate one)",
                crate::secrets::MIN_SECRET_LEN
            )));
        }
        if self.mail.max_attempts == 0 {
            return Err(ConfigError("mail.max_attempts: must be at least 1".to_owned()));
        }
        if self.mail.transport == MailTransport::Smtp && self.mail.smtp_host.trim().is_empty() {
            return Err(ConfigError("mail.smtp_host: required when mail.transport is smtp".to_owned()));
        }
        Ok(())
    }

    /// Whether cookies are sent with `Secure`: as configured, else when the service is reached
    /// over https.
    pub fn cookie_secure(&self) -> bool {
        self.cookie_secure.unwrap_or_else(|| self.public_url.starts_with("https://"))
    }

    /// The session timeouts in force.
    pub fn session_lifetime(&self) -> crate::domain::account::SessionLifetime {
        crate::domain::account::SessionLifetime {
            idle: chrono::Duration::minutes(i64::from(self.session_idle_minutes)),
            max: chrono::Duration::hours(i64::from(self.session_max_hours)),
        }
    }

    /// The database URL in force: the configured one, or the SQLite file in the data folder.
    pub fn effective_database_url(&self) -> String {
        if self.database_url.trim().is_empty() {
            self.data_dir.join("regiohub.db").to_string_lossy().into_owned()
        } else {
            self.database_url.clone()
        }
    }
}

/// Whether `REGIOHUB_<key>` names one of the settings (nested keys as `MAIL__SMTP_HOST`).
fn is_setting_key(key: &str) -> bool {
    let top = key.split("__").next().unwrap_or_default().to_ascii_lowercase();
    match serde_json::to_value(Settings::default()) {
        Ok(serde_json::Value::Object(fields)) => fields.contains_key(&top),
        _ => false,
    }
}

/// figment's errors can span lines and mention internals; keep the key and the complaint.
fn one_line(error: &figment::Error) -> String {
    let mut parts = Vec::new();
    for e in error.clone() {
        let key = e.path.join(".");
        let message = e.kind.to_string();
        let source =
            e.metadata.as_ref().and_then(|m| m.source.as_ref()).map(|s| format!(" (from {s})")).unwrap_or_default();
        if key.is_empty() {
            parts.push(format!("{message}{source}"));
        } else {
            parts.push(format!("{key}: {message}{source}"));
        }
    }
    parts.join("; ").replace('\n', " ")
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]
    use super::*;

    #[test]
    fn a_bad_listen_address_names_the_setting() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("regiohub.toml");
        std::fs::write(&file, "listen = \"not an address\"\n").unwrap();
        let error = Settings::load(Some(&file), &Overrides::default()).unwrap_err().to_string();
        assert!(error.starts_with("listen:"), "{error}");
        assert!(!error.contains('\n'));
    }

    #[test]
    fn a_short_secret_key_and_zero_mail_attempts_are_refused() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("regiohub.toml");
        std::fs::write(&file, "secret_key = \"too short\"\n").unwrap();
        let error = Settings::load(Some(&file), &Overrides::default()).unwrap_err().to_string();
        assert!(error.starts_with("secret_key:"), "{error}");
        std::fs::write(&file, "reminder_before_minutes = 90\n[mail]\nmax_attempts = 0\n").unwrap();
        let error = Settings::load(Some(&file), &Overrides::default()).unwrap_err().to_string();
        assert!(error.starts_with("mail.max_attempts:"), "{error}");
    }

    #[test]
    fn only_environment_variables_that_name_a_setting_are_read() {
        assert!(is_setting_key("LISTEN"));
        assert!(is_setting_key("MAIL__SMTP_HOST"));
        assert!(is_setting_key("db_pool_size"));
        assert!(!is_setting_key("PYTHON"));
        assert!(!is_setting_key("CONFIG"));
    }

    #[test]
    fn the_readme_has_a_row_for_every_setting() {
        let readme = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/README.md")).unwrap();
        let serde_json::Value::Object(fields) = serde_json::to_value(Settings::default()).unwrap() else {
            panic!("settings are a table");
        };
        let mut keys = Vec::new();
        for (key, value) in fields {
            match value {
                serde_json::Value::Object(nested) => keys.extend(nested.keys().map(|inner| format!("{key}.{inner}"))),
                _ => keys.push(key),
            }
        }
        for key in keys {
            assert!(readme.contains(&format!("| `{key}` |")), "README's configuration table lacks `{key}`");
        }
    }

    #[test]
    fn an_unknown_key_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("regiohub.toml");
        std::fs::write(&file, "lisen = \"127.0.0.1:1\"\n").unwrap();
        let error = Settings::load(Some(&file), &Overrides::default()).unwrap_err().to_string();
        assert!(error.contains("lisen"), "{error}");
    }

    #[test]
    fn file_values_and_overrides_apply_in_order() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("regiohub.toml");
        std::fs::write(&file, "listen = \"127.0.0.1:9000\"\ndb_pool_size = 3\n[mail]\ntransport = \"memory\"\n")
            .unwrap();
        let overrides = Overrides { listen: Some("127.0.0.1:9001".parse().unwrap()), data_dir: None };
        let settings = Settings::load(Some(&file), &overrides).unwrap();
        assert_eq!(settings.listen.port(), 9001);
        assert_eq!(settings.db_pool_size, 3);
        assert_eq!(settings.mail.transport, MailTransport::Memory);
        assert!(settings.effective_database_url().ends_with("regiohub.db"));
    }
}
