//! Password hashing (Argon2id in production) and device password generation.

use televent_domain::device::PasswordHash;

/// Hashes and verifies device passwords, and makes new ones.
#[cfg_attr(feature = "mocks", mockall::automock)]
pub trait PasswordHasher: Send + Sync {
    /// A new random password, easy to type on a phone, strong enough for a server.
    fn generate(&self) -> Result<String, String>;
    /// A new random secret for a session, a login link or a subscription URL: 256 bits,
    /// URL-safe (base64url without padding).
    fn secret(&self) -> Result<String, String>;
    /// The hash to store for `password`.
    fn hash(&self, password: &str) -> Result<PasswordHash, String>;
    /// Whether `password` matches `hash`. A malformed hash never matches.
    fn verify(&self, password: &str, hash: &PasswordHash) -> bool;
}
