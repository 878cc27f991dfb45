//! HTTP Basic authentication with a user name and a device password, and a cache of verified
//! credentials so a busy client pays Argon2 once per TTL, not per request.
//!
//! The cache is keyed by a BLAKE3 hash of name and password and never holds a password. A
//! revoked device stays accepted until its cache entry expires (at most the TTL). This module
//! must never decide what a user may see: `handler` compares the path's owner with the user.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::Duration;

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use http::HeaderValue;
use televent_app::{AppError, Televent};
use televent_domain::user::User;
use tokio::time::Instant;

/// The challenge sent with every 401.
pub const CHALLENGE: &str = "Basic realm=\"Televent\", charset=\"UTF-8\"";

/// Past this many entries, expired ones are swept on insert (and, if all are fresh, the cache
/// is cleared: it is only a cache).
const MAX_ENTRIES: usize = 10_000;

/// Checks credentials, with a cache.
#[derive(Debug)]
pub struct Authenticator {
    engine: Televent,
    ttl: Duration,
    /// Shared by every connection's handler; held only to look up or insert, never across an
    /// await.
    cache: Mutex<HashMap<[u8; 32], (User, Instant)>>,
}

impl Authenticator {
    /// An authenticator over `engine`'s users and devices.
    pub fn new(engine: Televent, ttl: Duration) -> Self {
        Self { engine, ttl, cache: Mutex::new(HashMap::new()) }
    }

    /// The user an `Authorization` header proves, `Ok(None)` when it is missing, malformed or
    /// wrong (the cases are not told apart).
    pub async fn authenticate(&self, header: Option<&HeaderValue>) -> Result<Option<User>, AppError> {
        let Some((name, password)) = header.and_then(parse_basic) else { return Ok(None) };
        let key = cache_key(&name, &password);
        if let Some(user) = self.cached(&key) {
            return Ok(Some(user));
        }
        let engine = self.engine.clone();
        let runtime = tokio::runtime::Handle::current();
        // Argon2 takes tens of milliseconds of CPU: run it off the async workers.
        let verified = tokio::task::spawn_blocking(move || runtime.block_on(engine.authenticate(&name, &password)))
            .await
            .map_err(|error| AppError::Internal(format!("password check failed: {error}")))??;
        let Some((user, _device)) = verified else { return Ok(None) };
        self.insert(key, user.clone());
        Ok(Some(user))
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<[u8; 32], (User, Instant)>> {
        // The map is only a cache: a poisoned one is still usable.
        self.cache.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    fn cached(&self, key: &[u8; 32]) -> Option<User> {
        let mut cache = self.lock();
        match cache.get(key) {
            Some((user, expires)) if *expires > Instant::now() => Some(user.clone()),
            Some(_) => {
                cache.remove(key);
                None
            }
            None => None,
        }
    }

    fn insert(&self, key: [u8; 32], user: User) {
        let now = Instant::now();
        let mut cache = self.lock();
        if cache.len() >= MAX_ENTRIES {
            cache.retain(|_, (_, expires)| *expires > now);
            if cache.len() >= MAX_ENTRIES {
                cache.clear();
            }
        }
        cache.insert(key, (user, now + self.ttl));
    }
}

/// `Basic base64(name:password)` to its parts.
fn parse_basic(header: &HeaderValue) -> Option<(String, String)> {
    let value = header.to_str().ok()?.trim();
    let (scheme, encoded) = value.split_once(' ')?;
    if !scheme.eq_ignore_ascii_case("basic") {
        return None;
    }
    let decoded = String::from_utf8(STANDARD.decode(encoded.trim()).ok()?).ok()?;
    let (name, password) = decoded.split_once(':')?;
    Some((name.to_owned(), password.to_owned()))
}

/// BLAKE3 of the name's length, the name and the password: no two pairs share a key.
fn cache_key(name: &str, password: &str) -> [u8; 32] {
    let mut hasher = blake3::Hasher::new();
    hasher.update(&(name.len() as u64).to_le_bytes());
    hasher.update(name.as_bytes());
    hasher.update(password.as_bytes());
    *hasher.finalize().as_bytes()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_basic_and_keys_apart() {
        let header = HeaderValue::from_static("Basic YWxpY2U6cDpx");
        assert_eq!(parse_basic(&header), Some(("alice".to_owned(), "p:q".to_owned())));
        assert_eq!(parse_basic(&HeaderValue::from_static("Bearer x")), None);
        assert_eq!(parse_basic(&HeaderValue::from_static("Basic !!")), None);
        assert_ne!(cache_key("ab", "c"), cache_key("a", "bc"));
    }
}
