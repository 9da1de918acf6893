//! Passwords: checked at the edge, hashed with argon2id on the blocking pool under a semaphore,
//! stored as PHC strings.
//!
//! Unicode passwords are normalized (NFKC, as NIST SP 800-63B asks) so the same password typed on
//! two keyboards matches, and never truncated: every byte takes part in the hash. Input is capped
//! at [`PASSWORD_MAX_BYTES`] *before* any work, so an attacker cannot make the server hash
//! megabytes.

use std::fmt;
use std::sync::Arc;

use argon2::password_hash::{PasswordHasher as _, PasswordVerifier as _};
use argon2::{Algorithm, Argon2, Params, Version};
use tokio::sync::Semaphore;
use unicode_normalization::UnicodeNormalization;

/// argon2id memory cost in KiB: the OWASP minimum for argon2id with t=2, p=1 (RFC 9106's second
/// recommendation scaled to a small server). About 20 ms per hash on one core of this machine.
pub const ARGON2_M_COST_KIB: u32 = 19_456;
/// argon2id passes.
pub const ARGON2_T_COST: u32 = 2;
/// argon2id lanes.
pub const ARGON2_P_COST: u32 = 1;

/// Fewest characters in a new password. Length beats composition rules (NIST SP 800-63B).
pub const PASSWORD_MIN_CHARS: usize = 12;

/// Most bytes of password input accepted, checked before normalizing or hashing. Room for a
/// 250-character passphrase in any script, or a password manager's longest.
pub const PASSWORD_MAX_BYTES: usize = 1024;

/// A password, normalized and within bounds. Never printed.
#[derive(Clone)]
pub struct Password(String);

impl fmt::Debug for Password {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Password(<redacted>)")
    }
}

/// Why a password was refused. `Display` is a sentence for the person choosing it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum PasswordError {
    /// Fewer than [`PASSWORD_MIN_CHARS`] characters.
    #[error("Please choose a password of at least 12 characters; a few words make a good one.")]
    TooShort,
    /// More than [`PASSWORD_MAX_BYTES`] bytes.
    #[error("That password is too long: at most 1,024 bytes.")]
    TooLong,
}

impl Password {
    /// A new password being chosen: at least [`PASSWORD_MIN_CHARS`] characters after NFKC
    /// normalization, at most [`PASSWORD_MAX_BYTES`] bytes as typed.
    ///
    /// # Errors
    /// [`PasswordError`] saying which bound was missed.
    pub fn new(raw: &str) -> Result<Password, PasswordError> {
        let password = Password::for_login(raw)?;
        if password.0.chars().count() < PASSWORD_MIN_CHARS {
            return Err(PasswordError::TooShort);
        }
        Ok(password)
    }

    /// A password typed at login: only the upper bound is checked (a short one simply does not
    /// match), so the check reveals nothing about the account.
    ///
    /// # Errors
    /// [`PasswordError::TooLong`].
    pub fn for_login(raw: &str) -> Result<Password, PasswordError> {
        if raw.len() > PASSWORD_MAX_BYTES {
            return Err(PasswordError::TooLong);
        }
        Ok(Password(raw.nfkc().collect()))
    }

    fn bytes(&self) -> &[u8] {
        self.0.as_bytes()
    }
}

/// Hashing failed: the blocking pool is gone (shutdown) or argon2 refused its input.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("password hashing failed")]
pub struct HashError;

/// Hashes and verifies passwords off the async executor, a bounded number at a time.
///
/// Each argon2id run holds about 19 MiB and a core for tens of milliseconds; without a bound, a
/// burst of logins would take every blocking thread and hundreds of MiB. Callers beyond the
/// bound wait their turn on the semaphore.
#[derive(Clone)]
pub struct Hasher {
    permits: Arc<Semaphore>,
    /// The PHC string of a random password nobody knows, verified against when the username is
    /// unknown so that path costs exactly what a wrong password costs.
    dummy: Arc<str>,
}

impl fmt::Debug for Hasher {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Hasher")
            .field("available", &self.permits.available_permits())
            .finish_non_exhaustive()
    }
}

fn argon2() -> Argon2<'static> {
    let params = Params::new(ARGON2_M_COST_KIB, ARGON2_T_COST, ARGON2_P_COST, None)
        .unwrap_or_else(|_| unreachable!("the constant parameters are within argon2's bounds"));
    Argon2::new(Algorithm::Argon2id, Version::V0x13, params)
}

/// Hashes on the calling thread. Only for the blocking pool (and tests).
fn hash_now(password: &Password) -> Result<String, HashError> {
    argon2()
        .hash_password(password.bytes())
        .map(|hash| hash.to_string())
        .map_err(|_| HashError)
}

/// Verifies on the calling thread; a malformed stored hash simply does not match.
fn verify_now(password: &Password, phc: &str) -> bool {
    argon2().verify_password(password.bytes(), phc).is_ok()
}

impl Hasher {
    /// A hasher running at most `concurrency` hashes at once. Computes the dummy hash, so call it
    /// once at start (from a blocking context or accept a few milliseconds of blocking).
    ///
    /// # Errors
    /// If argon2 cannot hash at all (never with these parameters).
    pub fn new(concurrency: usize) -> Result<Hasher, HashError> {
        let unguessable = Password(crate::secret::random_token());
        let dummy = hash_now(&unguessable)?;
        Ok(Hasher {
            permits: Arc::new(Semaphore::new(concurrency.max(1))),
            dummy: dummy.into(),
        })
    }

    /// How many hashes run at once by default: one per core, at most four.
    pub fn default_concurrency() -> usize {
        std::thread::available_parallelism()
            .map(|n| n.get())
            .unwrap_or(1)
            .clamp(1, 4)
    }

    /// The PHC string of `password`, with a fresh 16-byte salt.
    ///
    /// # Errors
    /// [`HashError`] if the blocking pool is gone.
    pub async fn hash(&self, password: Password) -> Result<String, HashError> {
        let _permit = self.permits.acquire().await.map_err(|_| HashError)?;
        tokio::task::spawn_blocking(move || hash_now(&password))
            .await
            .map_err(|_| HashError)?
    }

    /// Whether `password` matches `phc`. With `None` (no such user) it verifies against the dummy
    /// hash and returns false: the same work, the same answer as a wrong password.
    ///
    /// # Errors
    /// [`HashError`] if the blocking pool is gone.
    pub async fn verify(&self, password: Password, phc: Option<String>) -> Result<bool, HashError> {
        let _permit = self.permits.acquire().await.map_err(|_| HashError)?;
        let known = phc.is_some();
        let phc = phc.unwrap_or_else(|| self.dummy.to_string());
        let matched = tokio::task::spawn_blocking(move || verify_now(&password, &phc))
            .await
            .map_err(|_| HashError)?;
        Ok(matched && known)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hashes_are_argon2id_phc_strings_with_the_chosen_parameters_and_fresh_salts() {
        let password = Password::new("correct horse battery").unwrap();
        let a = hash_now(&password).unwrap();
        let b = hash_now(&password).unwrap();
        assert!(a.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"), "{a}");
        assert_ne!(a, b, "each hash has its own salt");
        let salt = a.split('$').nth(4).unwrap();
        assert_eq!(salt.len(), 22, "16 bytes of salt, base64 without padding");
        assert!(verify_now(&password, &a));
        assert!(!verify_now(
            &Password::new("correct horse battery!").unwrap(),
            &a
        ));
        assert!(!verify_now(&password, "not a phc string"));
    }

    #[test]
    fn passwords_need_twelve_characters_and_at_most_1024_bytes() {
        assert_eq!(
            Password::new("short pass1").unwrap_err(),
            PasswordError::TooShort
        );
        assert!(Password::new("twelve chars").is_ok());
        assert!(Password::new(&"a".repeat(PASSWORD_MAX_BYTES)).is_ok());
        assert_eq!(
            Password::new(&"a".repeat(PASSWORD_MAX_BYTES + 1)).unwrap_err(),
            PasswordError::TooLong
        );
        // Twelve emoji are twelve characters, though 48 bytes.
        assert!(Password::new(&"🔥".repeat(12)).is_ok());
        assert_eq!(
            Password::new(&"🔥".repeat(11)).unwrap_err(),
            PasswordError::TooShort
        );
        // Login accepts short input (it just will not match) but not oversized input.
        assert!(Password::for_login("x").is_ok());
        assert!(Password::for_login(&"x".repeat(2000)).is_err());
    }

    #[test]
    fn long_and_unicode_passwords_are_not_truncated() {
        let long = "a".repeat(200);
        let hash = hash_now(&Password::new(&long).unwrap()).unwrap();
        let mut almost = long.clone();
        almost.replace_range(199.., "b");
        assert!(verify_now(&Password::new(&long).unwrap(), &hash));
        assert!(
            !verify_now(&Password::new(&almost).unwrap(), &hash),
            "the 200th character counts"
        );

        let emoji = "🔥🌊🌱 feuer wasser erde";
        let hash = hash_now(&Password::new(emoji).unwrap()).unwrap();
        assert!(verify_now(&Password::new(emoji).unwrap(), &hash));
        assert!(!verify_now(
            &Password::new("🔥🌊🌿 feuer wasser erde").unwrap(),
            &hash
        ));
    }

    #[test]
    fn composed_and_decomposed_accents_are_the_same_password() {
        let composed = "caf\u{e9} au lait, s'il vous pla\u{ee}t";
        let decomposed = "cafe\u{301} au lait, s'il vous plai\u{302}t";
        let hash = hash_now(&Password::new(composed).unwrap()).unwrap();
        assert!(verify_now(&Password::new(decomposed).unwrap(), &hash));
    }

    #[test]
    fn passwords_never_print() {
        let password = Password::new("correct horse battery").unwrap();
        assert!(!format!("{password:?}").contains("horse"));
    }

    #[tokio::test]
    async fn an_unknown_user_is_checked_against_the_dummy_hash_and_never_matches() {
        let hasher = Hasher::new(2).unwrap();
        assert!(hasher.dummy.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"));
        let password = Password::new("correct horse battery").unwrap();
        let phc = hasher.hash(password.clone()).await.unwrap();
        assert!(hasher.verify(password.clone(), Some(phc)).await.unwrap());
        assert!(!hasher.verify(password, None).await.unwrap());
        // Even the dummy's own password (were it known) would not log anyone in.
        let dummy_password = Password(String::new());
        assert!(!hasher.verify(dummy_password, None).await.unwrap());
    }
}
