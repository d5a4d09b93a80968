//! Logging: `tracing` to stderr, filtered by `RUST_LOG` or the `log` setting.

use tracing_subscriber::EnvFilter;

/// Installs the subscriber once; later calls (tests, the demo after a command) do nothing.
pub fn init(default_filter: &str) {
    let filter = EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new(default_filter));
    let _ = tracing_subscriber::fmt().with_env_filter(filter).with_writer(std::io::stderr).try_init();
}
