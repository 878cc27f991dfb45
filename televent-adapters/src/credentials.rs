//! Argon2id password hashing and device password generation.

use argon2::Argon2;
use argon2::password_hash::{PasswordHasher as _, PasswordVerifier as _};
use base64::Engine as _;
use televent_domain::device::PasswordHash;
use televent_ports::PasswordHasher;

/// Argon2id with the crate's default parameters (19 MiB, 2 passes).
#[derive(Debug, Clone, Default)]
pub struct Argon2Hasher;

/// Letters and digits that cannot be confused when read aloud or typed on a phone.
const ALPHABET: &[u8] = b"abcdefghijkmnpqrstuvwxyz23456789";

impl PasswordHasher for Argon2Hasher {
    /// Four groups of five characters from a 32-symbol alphabet: 100 bits.
    fn generate(&self) -> Result<String, String> {
        let mut bytes = [0u8; 20];
        getrandom::fill(&mut bytes).map_err(|error| format!("no randomness from the OS: {error}"))?;
        let symbols: Vec<char> = bytes
            .iter()
            .map(|b| {
                ALPHABET
                    .get(usize::from(*b) % ALPHABET.len())
                    .copied()
                    .map_or('x', char::from)
            })
            .collect();
        Ok(symbols
            .chunks(5)
            .map(|group| group.iter().collect::<String>())
            .collect::<Vec<_>>()
            .join("-"))
    }

    fn secret(&self) -> Result<String, String> {
        let mut bytes = [0u8; 32];
        getrandom::fill(&mut bytes).map_err(|error| format!("no randomness from the OS: {error}"))?;
        Ok(base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes))
    }

    fn hash(&self, password: &str) -> Result<PasswordHash, String> {
        Argon2::default()
            .hash_password(password.as_bytes())
            .map(|hash| PasswordHash::new(hash.to_string()))
            .map_err(|error| error.to_string())
    }

    fn verify(&self, password: &str, hash: &PasswordHash) -> bool {
        Argon2::default()
            .verify_password(password.as_bytes(), hash.as_str())
            .is_ok()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hashes_verify_and_passwords_are_fresh() {
        let hasher = Argon2Hasher;
        let password = hasher.generate().unwrap();
        assert_eq!(password.len(), 23);
        assert_ne!(password, hasher.generate().unwrap());
        let hash = hasher.hash(&password).unwrap();
        assert!(hash.as_str().starts_with("$argon2id$"));
        assert!(hasher.verify(&password, &hash));
        assert!(!hasher.verify("wrong", &hash));
        assert!(!hasher.verify(&password, &PasswordHash::new("garbage".to_owned())));
    }
}
