//! Password hashing with argon2id, off the async workers.
//!
//! Parameters are OWASP's Password Storage Cheat Sheet (2023+) first choice
//! for argon2id: m = 19 MiB (19456 KiB), t = 2, p = 1. A hash is CPU- and
//! memory-heavy (~20 ms on one core), so it runs on the blocking pool, and a
//! semaphore lets at most as many run at once as there are cores: a burst of
//! sign-ins queues here instead of starving page rendering or running the
//! machine out of memory. It must never log or return a password.

use std::sync::LazyLock;

use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString, rand_core::OsRng};
use argon2::{Algorithm, Argon2, Params, Version};
use tokio::sync::Semaphore;

use super::request::internal;
use crate::error::AppError;

fn argon2() -> Argon2<'static> {
    // The numbers are valid constants; `Params::new` only fails on out-of-range input.
    let params = Params::new(19_456, 2, 1, None).unwrap_or_default();
    Argon2::new(Algorithm::Argon2id, Version::V0x13, params)
}

/// How many hashes may run at once: the number of cores.
pub fn parallelism() -> usize {
    std::thread::available_parallelism().map(usize::from).unwrap_or(2)
}

static SLOTS: LazyLock<Semaphore> = LazyLock::new(|| Semaphore::new(parallelism()));

/// A hash of a random password, verified against when the account does not
/// exist, so an unknown login costs the same time as a wrong password.
static DUMMY: LazyLock<String> = LazyLock::new(|| {
    let salt = SaltString::generate(&mut OsRng);
    argon2().hash_password(uuid::Uuid::new_v4().as_bytes(), &salt).map(|h| h.to_string()).unwrap_or_default()
});

async fn blocking<T: Send + 'static>(job: impl FnOnce() -> T + Send + 'static) -> Result<T, AppError> {
    let _permit = SLOTS.acquire().await.map_err(|e| internal("password slots", e))?;
    tokio::task::spawn_blocking(job).await.map_err(|e| internal("password task", e))
}

/// The PHC string (`$argon2id$v=19$m=19456,t=2,p=1$…`) of `password`.
pub async fn hash(password: String) -> Result<String, AppError> {
    blocking(move || {
        let salt = SaltString::generate(&mut OsRng);
        argon2().hash_password(password.as_bytes(), &salt).map(|h| h.to_string())
    })
    .await?
    .map_err(|e| internal("password hash", e))
}

/// Whether `password` matches `phc`. A malformed stored hash is a mismatch
/// (and logged), never a panic.
pub async fn verify(password: String, phc: String) -> Result<bool, AppError> {
    blocking(move || verify_now(&password, &phc)).await
}

/// Checks `password` against several stored hashes in one blocking job
/// (password history); true if any matches.
pub async fn matches_any(password: String, hashes: Vec<String>) -> Result<bool, AppError> {
    blocking(move || hashes.iter().any(|h| verify_now(&password, h))).await
}

/// Spends the time of one verification on the dummy hash.
pub async fn verify_dummy(password: String) -> Result<(), AppError> {
    blocking(move || {
        verify_now(&password, &DUMMY);
    })
    .await
}

fn verify_now(password: &str, phc: &str) -> bool {
    match PasswordHash::new(phc) {
        Ok(parsed) => argon2().verify_password(password.as_bytes(), &parsed).is_ok(),
        Err(e) => {
            tracing::error!("stored password hash does not parse: {e}");
            false
        }
    }
}

/// zxcvbn's 0..4 score; `user_inputs` are the person's own words (names,
/// login) that make a password easy to guess for someone who knows them.
pub fn strength(password: &str, user_inputs: &[&str]) -> u8 {
    zxcvbn::zxcvbn(password, user_inputs).score() as u8
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn a_hash_verifies_its_password_and_nothing_else() {
        let h = hash("Верный-пароль-2026!".into()).await.unwrap();
        assert!(h.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"));
        assert!(verify("Верный-пароль-2026!".into(), h.clone()).await.unwrap());
        assert!(!verify("неверный".into(), h.clone()).await.unwrap());
        assert!(!verify("x".into(), "not a hash".into()).await.unwrap());
        assert!(matches_any("Верный-пароль-2026!".into(), vec!["junk".into(), h]).await.unwrap());
    }

    #[test]
    fn common_passwords_score_low_and_passphrases_high() {
        assert!(strength("Password123!", &[]) < 3);
        assert!(strength("P@ssw0rd1234", &[]) < 3);
        assert!(strength("Ivanov1990", &["ivanov"]) < 3);
        assert!(strength("Кот-Ест-Сметану-По-Средам-7", &[]) >= 3);
    }
}
