//! The server's secret key and the random tokens it hands out.
//!
//! The secret (32 random bytes, generated at first start, file mode 0600 in the data directory)
//! keys the hashes under which invite codes and device keys are stored, so a copy of the database
//! alone does not let anyone join a group or unmask a ban. Tokens come from the operating system's
//! random source. Depends on std, getrandom, hmac and sha2 only.

use std::fmt;
use std::io::{self, Read, Write};
use std::path::Path;

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use hmac::{Hmac, KeyInit, Mac};
use sha2::Sha256;

/// The secret's file name inside the data directory.
pub const SECRET_FILE: &str = "secret.key";

const SECRET_BYTES: usize = 32;

/// Random bytes in a token: 128 bits, beyond guessing even at millions of tries per second.
pub const TOKEN_BYTES: usize = 16;

/// The key for keyed hashes of invite codes, device keys and session tokens.
#[derive(Clone)]
pub struct ServerSecret([u8; SECRET_BYTES]);

impl fmt::Debug for ServerSecret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("ServerSecret(<redacted>)")
    }
}

impl ServerSecret {
    /// Reads the secret from `dir`, creating it (mode 0600) on first start.
    ///
    /// # Errors
    /// I/O errors, or a secret file of the wrong size (refusing to start beats silently
    /// invalidating every invite).
    pub fn load_or_create(dir: &Path) -> io::Result<ServerSecret> {
        let path = dir.join(SECRET_FILE);
        match std::fs::File::open(&path) {
            Ok(mut file) => {
                let mut bytes = Vec::with_capacity(SECRET_BYTES);
                file.read_to_end(&mut bytes)?;
                let key: [u8; SECRET_BYTES] = bytes.try_into().map_err(|_| {
                    io::Error::new(
                        io::ErrorKind::InvalidData,
                        format!(
                            "{} must hold exactly {SECRET_BYTES} bytes; restore it from backup",
                            path.display()
                        ),
                    )
                })?;
                Ok(ServerSecret(key))
            }
            Err(err) if err.kind() == io::ErrorKind::NotFound => {
                let mut key = [0u8; SECRET_BYTES];
                fill_random(&mut key)?;
                let mut options = std::fs::OpenOptions::new();
                options.write(true).create_new(true);
                #[cfg(unix)]
                std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
                let mut file = options.open(&path)?;
                file.write_all(&key)?;
                file.sync_all()?;
                Ok(ServerSecret(key))
            }
            Err(err) => Err(err),
        }
    }

    /// A secret for tests.
    pub fn from_bytes(key: [u8; SECRET_BYTES]) -> ServerSecret {
        ServerSecret(key)
    }

    /// HMAC-SHA-256 of `value` under this secret, with a domain label so a hash made for one
    /// purpose can never match one made for another.
    pub fn keyed_hash(&self, purpose: &str, value: &str) -> [u8; 32] {
        let mut mac = <Hmac<Sha256> as KeyInit>::new_from_slice(&self.0)
            .unwrap_or_else(|_| unreachable!("HMAC accepts keys of any length"));
        mac.update(purpose.as_bytes());
        mac.update(&[0]);
        mac.update(value.as_bytes());
        mac.finalize().into_bytes().into()
    }
}

/// Fills `buf` from the operating system's random source.
///
/// # Errors
/// If the OS cannot provide randomness (the server must not run then).
pub fn fill_random(buf: &mut [u8]) -> io::Result<()> {
    getrandom::fill(buf).map_err(|err| io::Error::other(format!("no OS randomness: {err}")))
}

/// A fresh random token (128 bits), URL-safe base64 without padding: 22 characters.
///
/// # Panics
/// If the OS has no randomness to give, which leaves nothing safe to do.
pub fn random_token() -> String {
    let mut bytes = [0u8; TOKEN_BYTES];
    if let Err(err) = fill_random(&mut bytes) {
        panic!("cannot create a token: {err}");
    }
    URL_SAFE_NO_PAD.encode(bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secret_is_created_once_with_owner_only_permissions() {
        let dir = tempdir();
        let first = ServerSecret::load_or_create(&dir).unwrap();
        let second = ServerSecret::load_or_create(&dir).unwrap();
        assert_eq!(first.0, second.0);
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(dir.join(SECRET_FILE))
                .unwrap()
                .permissions()
                .mode();
            assert_eq!(mode & 0o777, 0o600);
        }
        std::fs::remove_dir_all(dir).unwrap();
    }

    #[test]
    fn a_truncated_secret_refuses_to_load() {
        let dir = tempdir();
        std::fs::write(dir.join(SECRET_FILE), b"short").unwrap();
        assert!(ServerSecret::load_or_create(&dir).is_err());
        std::fs::remove_dir_all(dir).unwrap();
    }

    #[test]
    fn keyed_hashes_depend_on_key_purpose_and_value() {
        let a = ServerSecret::from_bytes([1; 32]);
        let b = ServerSecret::from_bytes([2; 32]);
        assert_eq!(a.keyed_hash("invite", "x"), a.keyed_hash("invite", "x"));
        assert_ne!(a.keyed_hash("invite", "x"), b.keyed_hash("invite", "x"));
        assert_ne!(a.keyed_hash("invite", "x"), a.keyed_hash("device", "x"));
        assert_ne!(a.keyed_hash("invite", "x"), a.keyed_hash("invite", "y"));
    }

    #[test]
    fn tokens_are_long_random_and_url_safe() {
        let a = random_token();
        let b = random_token();
        assert_eq!(a.len(), 22);
        assert_ne!(a, b);
        assert!(
            a.chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
        );
    }

    fn tempdir() -> std::path::PathBuf {
        let dir = std::env::temp_dir().join(format!("hearth-secret-{}", random_token()));
        std::fs::create_dir_all(&dir).unwrap();
        dir
    }
}
