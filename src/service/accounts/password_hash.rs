//! argon2id password hashes as PHC strings, computed in working memory that is kept and reused.
//!
//! Each hash needs 19 MiB of working memory. Allocating and freeing that per call (as
//! rust-argon2, the crate used before, does) makes glibc raise its mmap and trim thresholds for
//! the whole process to the block's size, after which every thread's freed memory below ~38 MiB
//! stays in its allocator arena: measured, a login storm left the service at ~500 MB that
//! never came back (BENCHMARKS.md). So the working memory comes from a small process-wide stock
//! of buffers instead: a hash takes one, returns it, and a buffer is never freed. There are never
//! more buffers than hashes that ran at once: the password pool's workers, plus start-up
//! seeding that runs before them. RustCrypto's `argon2` takes the memory from the caller
//! (`hash_password_into_with_memory`); its PHC strings are the same as rust-argon2's, so stored
//! hashes keep verifying.

use std::sync::Mutex;

use argon2::password_hash::{Output, ParamsString, PasswordHash, SaltString};
use argon2::{Algorithm, Argon2, Block, Params, Version};
use rand::RngCore;

/// OWASP's minimum for argon2id: 19 MiB, 2 passes, 1 lane.
const MEMORY_KIB: u32 = 19 * 1024;
const PASSES: u32 = 2;
const LANES: u32 = 1;
const OUTPUT_LEN: usize = 32;
const SALT_LEN: usize = 16;

/// A stored hash asking for more than this (memory, passes, lanes) is treated as not matching, so
/// a damaged or planted row can neither make a worker keep a huge buffer for good nor keep it busy
/// for minutes. Far above what we or the usual recommendations store.
const MAX_MEMORY_KIB: u32 = 64 * 1024;
const MAX_PASSES: u32 = 16;
const MAX_LANES: u32 = 8;

/// Buffers not in use right now; see the module comment.
static SPARE_MEMORY: Mutex<Vec<Vec<Block>>> = Mutex::new(Vec::new());

/// Why a hash could not be made.
#[derive(Debug, thiserror::Error)]
#[error("argon2: {0}")]
pub struct HashError(String);

/// The argon2id PHC string of `password` with a fresh random salt.
///
/// # Errors
/// Only if argon2 rejects its own parameters, which would be a programming error.
pub fn hash(password: &str) -> Result<String, HashError> {
    let params = Params::new(MEMORY_KIB, PASSES, LANES, Some(OUTPUT_LEN)).map_err(error)?;
    let mut salt = [0u8; SALT_LEN];
    rand::rng().fill_bytes(&mut salt);
    let mut output = [0u8; OUTPUT_LEN];
    with_memory(&SPARE_MEMORY, params.block_count(), |memory| {
        Argon2::new(Algorithm::Argon2id, Version::V0x13, params.clone()).hash_password_into_with_memory(
            password.as_bytes(),
            &salt,
            &mut output,
            memory,
        )
    })
    .map_err(error)?;
    let salt = SaltString::encode_b64(&salt).map_err(error)?;
    let phc = PasswordHash {
        algorithm: Algorithm::Argon2id.ident(),
        version: Some(Version::V0x13.into()),
        params: ParamsString::try_from(&params).map_err(error)?,
        salt: Some(salt.as_salt()),
        hash: Some(Output::new(&output).map_err(error)?),
    };
    Ok(phc.to_string())
}

/// Whether `password` matches the stored PHC string `stored` (argon2 in any variant, with the
/// parameters it names). A malformed string, or one asking for more than `MAX_MEMORY_KIB`,
/// `MAX_PASSES` or `MAX_LANES`, never matches. The comparison takes the same time wherever the outputs differ.
pub fn verify(stored: &str, password: &str) -> bool {
    let Ok(parsed) = PasswordHash::new(stored) else {
        return false;
    };
    let (Ok(algorithm), Ok(params), Some(expected), Some(salt)) =
        (Algorithm::try_from(parsed.algorithm), Params::try_from(&parsed), parsed.hash, parsed.salt)
    else {
        return false;
    };
    // A PHC string without a version is argon2 1.0 (0x10), as the reference implementation reads it.
    let Ok(version) = Version::try_from(parsed.version.unwrap_or(0x10)) else {
        return false;
    };
    if params.m_cost() > MAX_MEMORY_KIB || params.t_cost() > MAX_PASSES || params.p_cost() > MAX_LANES {
        tracing::warn!(
            m_cost = params.m_cost(),
            t_cost = params.t_cost(),
            p_cost = params.p_cost(),
            "a stored password hash asks for too much work; not checked"
        );
        return false;
    }
    let mut salt_bytes = [0u8; 64];
    let Ok(salt) = salt.decode_b64(&mut salt_bytes) else {
        return false;
    };
    let mut output = vec![0u8; expected.len()];
    let computed = with_memory(&SPARE_MEMORY, params.block_count(), |memory| {
        Argon2::new(algorithm, version, params.clone()).hash_password_into_with_memory(
            password.as_bytes(),
            salt,
            &mut output,
            memory,
        )
    });
    // `Output`'s equality is constant-time.
    computed.is_ok() && Output::new(&output).is_ok_and(|output| output == expected)
}

/// Runs `work` on `blocks` blocks of working memory from `stock` (grown when a buffer is too
/// small, allocated when none is spare) and puts the buffer back afterwards.
fn with_memory<T>(stock: &Mutex<Vec<Vec<Block>>>, blocks: usize, work: impl FnOnce(&mut [Block]) -> T) -> T {
    let spare = match stock.lock() {
        Ok(mut stock) => stock.pop(),
        Err(poisoned) => poisoned.into_inner().pop(),
    };
    let mut memory = spare.unwrap_or_default();
    if memory.len() < blocks {
        memory.resize(blocks, Block::new());
    }
    let result = work(&mut memory[..blocks]);
    match stock.lock() {
        Ok(mut stock) => stock.push(memory),
        Err(poisoned) => poisoned.into_inner().push(memory),
    }
    result
}

fn error(e: impl std::fmt::Display) -> HashError {
    HashError(e.to_string())
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]
    use super::*;

    /// Made by the reference implementation (argon2-cffi 25, Python) for "correct horse
    /// battery" with our parameters: PHC strings from other implementations, such as the ones
    /// rust-argon2 stored before the switch, keep verifying.
    const REFERENCE_HASH: &str =
        "$argon2id$v=19$m=19456,t=2,p=1$1L005N4ludjTifBs0ZBnlA$oZe/04i0/RuqcEUDzYADyr8pZOtZjbyzTvzygMKxkkU";

    #[test]
    fn hashes_of_the_reference_implementation_verify() {
        assert!(verify(REFERENCE_HASH, "correct horse battery"));
        assert!(!verify(REFERENCE_HASH, "correct horse batterY"));
    }

    #[test]
    fn hashes_are_argon2id_phc_strings_that_verify() {
        let stored = hash("correct horse battery").unwrap();
        assert!(stored.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"), "{stored}");
        assert!(verify(&stored, "correct horse battery"));
        assert!(!verify(&stored, "correct horse battery!"));
        assert_ne!(stored, hash("correct horse battery").unwrap(), "a fresh salt each time");
    }

    #[test]
    fn malformed_or_greedy_hashes_never_match() {
        assert!(!verify("not a hash", "x"));
        assert!(!verify("", ""));
        for greedy in ["m=4194304,t=2,p=1", "m=19456,t=100000,p=1", "m=19456,t=2,p=64"] {
            let stored = REFERENCE_HASH.replace("m=19456,t=2,p=1", greedy);
            assert!(!verify(&stored, "correct horse battery"), "{greedy} is not checked");
        }
    }

    #[test]
    fn working_memory_is_kept_and_reused() {
        let stock = Mutex::new(Vec::new());
        let first = with_memory(&stock, 1024, |memory| memory.as_ptr() as usize);
        assert_eq!(stock.lock().unwrap().len(), 1, "the buffer is kept after use");
        let second = with_memory(&stock, 1024, |memory| memory.as_ptr() as usize);
        assert_eq!(first, second, "the next hash reuses it");
        let grown = with_memory(&stock, 2048, |memory| memory.len());
        assert_eq!(grown, 2048, "a buffer too small for the parameters grows");
        assert_eq!(stock.lock().unwrap().len(), 1, "still one buffer: no more than ever ran at once");
    }
}
