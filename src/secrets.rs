//! The service's secret key and the keys derived from it. Today that is one key per hub that
//! turns door PINs into verifiers (HMAC-SHA256); the key itself never leaves this module except
//! as a derived key.
//!
//! Why derived and not a random key per hub stored in the `hubs` table: the database then holds
//! only verifiers, never the key that makes them. Six digits are a small space, so anyone with the
//! key and a verifier finds the PIN at once; keeping the key out of the database means a stolen
//! database or backup alone does not reveal a single door PIN. Each hub still has its own key
//! (`HMAC(secret, "regiohub pin key v1" ‖ hub id)`), so the key handed to one hub's bridge is
//! worth nothing at another hub. [`write_pin_key_file`] hands a hub's key to its bridge.

use std::fmt;
use std::io::Write;
use std::path::Path;
use std::sync::Arc;

use hmac::{Hmac, Mac};
use rand::TryRngCore;
use sha2::Sha256;

use crate::domain::ids::HubId;

/// The configured secret must carry at least this many characters of key material.
pub const MIN_SECRET_LEN: usize = 32;

const FILE_NAME: &str = "secret_key";
const PIN_KEY_LABEL: &[u8] = b"regiohub pin key v1\0";

/// Why the secret key could not be had.
#[derive(Debug, thiserror::Error)]
pub enum SecretError {
    #[error("secret key file {path}: {source}")]
    File { path: String, source: std::io::Error },
    #[error("secret key file {path}: must hold at least {MIN_SECRET_LEN} characters")]
    TooShort { path: String },
}

/// The service's secret key material. Cheap to clone; never printed.
#[derive(Clone)]
pub struct SecretKey(Arc<[u8]>);

impl fmt::Debug for SecretKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("SecretKey(<redacted>)")
    }
}

impl SecretKey {
    /// The `configured` key (the `secret_key` setting), or when that is empty the one kept in
    /// `<data_dir>/secret_key`, generated (32 random bytes, hex) the first time. Losing it makes
    /// every issued PIN useless, so the file belongs in backups — but in a different place than
    /// the database. The two values come as parameters so that this module does not depend on
    /// the settings (which depend on it for [`MIN_SECRET_LEN`]).
    ///
    /// # Errors
    /// When the file cannot be read or written, or holds too little key material.
    pub fn load_or_create(configured: &str, data_dir: &Path) -> Result<SecretKey, SecretError> {
        let configured = configured.trim();
        if !configured.is_empty() {
            // `Settings::load` has checked the length already.
            return Ok(SecretKey::from_bytes(configured.as_bytes()));
        }
        load_or_create_file(&data_dir.join(FILE_NAME))
    }

    /// Key material given directly (tests, tools).
    pub fn from_bytes(bytes: &[u8]) -> SecretKey {
        SecretKey(Arc::from(bytes))
    }

    /// The key of one hub that door PINs are turned into verifiers with, by
    /// `regiohub_hardware::protocol::pin_verifier`. The hub's bridge needs the same key to check
    /// a PIN typed at its keypads.
    pub fn hub_pin_key(&self, hub_id: &HubId) -> [u8; 32] {
        let Ok(mut mac) = Hmac::<Sha256>::new_from_slice(&self.0) else {
            // HMAC takes keys of any length; this branch only keeps the function total.
            return [0; 32];
        };
        mac.update(PIN_KEY_LABEL);
        mac.update(hub_id.as_str().as_bytes());
        mac.finalize().into_bytes().into()
    }
}

impl SecretKey {
    /// A key for one purpose, derived from the secret with `label` (which names the purpose and
    /// its version), so that no two uses share key material.
    pub fn derived_key(&self, label: &[u8]) -> [u8; 32] {
        let Ok(mut mac) = Hmac::<Sha256>::new_from_slice(&self.0) else {
            return [0; 32];
        };
        mac.update(b"regiohub derived key v1\0");
        mac.update(label);
        mac.finalize().into_bytes().into()
    }

    /// A value that tells whether two instances hold the same secret without showing it (a
    /// derived key used for nothing else, in hex): kept in the database by the first instance,
    /// compared by every later one at start.
    pub fn check_value(&self) -> String {
        hex::encode(self.derived_key(b"shared secret check v1"))
    }
}

/// Writes a hub's PIN key the way a bridge's `bridge.pin_key_file` holds it (hex, one line) to a
/// file only its owner may read (mode 0600, also when the file was there with wider rights).
///
/// # Errors
/// When the file cannot be written.
pub fn write_pin_key_file(path: &Path, key: &[u8]) -> std::io::Result<()> {
    write_owner_only(path, &hex::encode(key), false)
}

/// Writes one line of secret text to a file only its owner may read (mode 0600) and syncs it.
/// With `create_new` an existing file is an `AlreadyExists` error; otherwise it is replaced.
fn write_owner_only(path: &Path, text: &str, create_new: bool) -> std::io::Result<()> {
    let mut options = std::fs::OpenOptions::new();
    options.write(true);
    if create_new {
        options.create_new(true);
    } else {
        options.create(true).truncate(true);
    }
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    let mut file = options.open(path)?;
    // `mode` only applies to a new file; narrow an old one before the secret goes in.
    #[cfg(unix)]
    file.set_permissions(std::os::unix::fs::PermissionsExt::from_mode(0o600))?;
    file.write_all(text.as_bytes())?;
    file.write_all(b"\n")?;
    file.sync_all()
}

fn load_or_create_file(path: &Path) -> Result<SecretKey, SecretError> {
    let error = |source| SecretError::File { path: path.display().to_string(), source };
    match std::fs::read_to_string(path) {
        Ok(text) => {
            let text = text.trim();
            if text.len() < MIN_SECRET_LEN {
                return Err(SecretError::TooShort { path: path.display().to_string() });
            }
            return Ok(SecretKey::from_bytes(text.as_bytes()));
        }
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
        Err(e) => return Err(error(e)),
    }
    if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
        std::fs::create_dir_all(parent).map_err(error)?;
    }
    let mut bytes = [0u8; 32];
    rand::rngs::OsRng.try_fill_bytes(&mut bytes).map_err(|e| error(std::io::Error::other(e)))?;
    let text = hex::encode(bytes);
    match write_owner_only(path, &text, true) {
        Ok(()) => Ok(SecretKey::from_bytes(text.as_bytes())),
        // Another process made it a moment ago: use theirs.
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => load_or_create_file(path),
        Err(e) => Err(error(e)),
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]
    use super::*;

    #[test]
    fn the_generated_key_is_kept_and_reused() {
        let dir = tempfile::tempdir().unwrap();
        let data_dir = dir.path().join("data");
        let first = SecretKey::load_or_create("", &data_dir).unwrap();
        let stored = std::fs::read_to_string(dir.path().join("data").join(FILE_NAME)).unwrap();
        assert_eq!(stored.trim().len(), 64);
        let second = SecretKey::load_or_create("", &data_dir).unwrap();
        assert_eq!(first.hub_pin_key(&HubId::new("hub-a")), second.hub_pin_key(&HubId::new("hub-a")));
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(dir.path().join("data").join(FILE_NAME)).unwrap().permissions().mode();
            assert_eq!(mode & 0o077, 0, "only the owner may read the secret key");
        }
    }

    #[test]
    fn a_configured_key_is_used_and_no_file_is_made() {
        let dir = tempfile::tempdir().unwrap();
        let configured = "0123456789abcdef0123456789abcdef";
        let key = SecretKey::load_or_create(&format!("  {configured}\n"), dir.path()).unwrap();
        let polch = HubId::new("polch");
        assert_eq!(key.hub_pin_key(&polch), SecretKey::from_bytes(configured.as_bytes()).hub_pin_key(&polch));
        assert!(!dir.path().join(FILE_NAME).exists());
    }

    #[test]
    fn hub_keys_differ_per_hub_and_per_secret() {
        let a = SecretKey::from_bytes(b"0123456789abcdef0123456789abcdef");
        let b = SecretKey::from_bytes(b"fedcba9876543210fedcba9876543210");
        let polch = HubId::new("polch");
        assert_ne!(a.hub_pin_key(&polch), a.hub_pin_key(&HubId::new("mayen")));
        assert_ne!(a.hub_pin_key(&polch), b.hub_pin_key(&polch));
        assert_eq!(format!("{a:?}"), "SecretKey(<redacted>)");
    }

    #[test]
    fn a_pin_key_file_holds_the_key_in_hex_for_its_owner_only() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("pin_key.hex");
        std::fs::write(&path, "old, readable by all").unwrap();
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o644)).unwrap();
        }
        let key = SecretKey::from_bytes(b"0123456789abcdef0123456789abcdef").hub_pin_key(&HubId::new("polch"));
        write_pin_key_file(&path, &key).unwrap();
        assert_eq!(std::fs::read_to_string(&path).unwrap(), format!("{}\n", hex::encode(key)));
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            assert_eq!(std::fs::metadata(&path).unwrap().permissions().mode() & 0o777, 0o600);
        }
    }

    #[test]
    fn a_truncated_key_file_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join(FILE_NAME), "short\n").unwrap();
        assert!(matches!(SecretKey::load_or_create("", dir.path()), Err(SecretError::TooShort { .. })));
    }
}
