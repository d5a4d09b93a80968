//! The one error a bad configuration produces: a single line naming the file, the key and
//! what is wrong, e.g. `bridge.toml: door[1].lock.device: no device named "relay9"`.

use std::path::Path;

/// A refused configuration. Its `Display` is the whole message an operator sees.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{file}: {key}: {problem}")]
pub struct ConfigError {
    /// The configuration file as the operator named it.
    pub file: String,
    /// The dotted key, e.g. `door[1].lock.device`, or `line 4, column 7` for syntax errors.
    pub key: String,
    /// What is wrong, on one line.
    pub problem: String,
}

impl ConfigError {
    pub(super) fn new(file: &Path, key: impl Into<String>, problem: impl Into<String>) -> Self {
        Self { file: file.display().to_string(), key: key.into(), problem: one_line(&problem.into()) }
    }

    pub(super) fn unreadable(file: &Path, error: &std::io::Error) -> Self {
        Self::new(file, "(file)", format!("cannot read: {error}"))
    }
}

/// Collapses a possibly multi-line message (toml's snippets) onto one line.
fn one_line(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}
