//! HTTP Basic authentication with a user name and a device password, and a cache of verified
//! credentials so a busy client pays Argon2 once per TTL, not per request.
//!
//! The cache is keyed by a BLAKE3 hash of name and password and never holds a password. A
//! cached hit still reads its device by primary key (`Televent::device_active`) on every
//! request, so a device revoked by any process sharing the store is refused at once (the entry
//! is dropped and the credential checked again in full, and fails, audited). A user changed by
//! this process (a new zone) is read again at once (`Televent::users_generation`); one changed
//! by another process when the entry expires (`auth_cache_ttl`). Failed attempts
//! are audited (`login.failed`) and slowed down per user name and client address
//! (`throttle`); a cached success skips both. This module must never decide what a user may
//! see: `handler` compares the path's owner with the user.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::Duration;

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use http::HeaderValue;
use televent_app::{AppError, Televent};
use televent_domain::audit::AuditEntry;
use televent_domain::ids::DeviceId;
use televent_domain::user::User;
use tokio::time::Instant;

use super::throttle::Throttle;

/// The challenge sent with every 401.
pub const CHALLENGE: &str = "Basic realm=\"Televent\", charset=\"UTF-8\"";

/// Past this many entries, expired ones are swept on insert (and, if all are fresh, the cache
/// is cleared: it is only a cache).
const MAX_ENTRIES: usize = 10_000;

/// At most this many requests wait out a throttle delay at once; more are refused at once.
const MAX_WAITING: usize = 32;

/// Where a request came from, for auditing and throttling.
#[derive(Debug, Clone, Default)]
pub struct Client {
    /// The peer's IP address.
    pub addr: Option<std::net::IpAddr>,
    /// The User-Agent header.
    pub user_agent: Option<String>,
}

/// A verified credential: who, with which device, until when.
#[derive(Debug, Clone)]
struct Entry {
    user: User,
    device: DeviceId,
    /// `Televent::users_generation` when the user was read.
    generation: u64,
    expires: Instant,
}

/// Checks credentials, with a cache.
#[derive(Debug)]
pub struct Authenticator {
    engine: Televent,
    ttl: Duration,
    /// Shared by every connection's handler; held only to look up or insert, never across an
    /// await.
    cache: Mutex<HashMap<[u8; 32], Entry>>,
    throttle: Throttle,
    /// Places for requests that sit out a throttle delay.
    waiting: tokio::sync::Semaphore,
}

impl Authenticator {
    /// An authenticator over `engine`'s users and devices.
    pub fn new(engine: Televent, ttl: Duration) -> Self {
        Self {
            engine,
            ttl,
            cache: Mutex::new(HashMap::new()),
            throttle: Throttle::default(),
            waiting: tokio::sync::Semaphore::new(MAX_WAITING),
        }
    }

    /// The user an `Authorization` header proves, `Ok(None)` when it is missing, malformed or
    /// wrong (the cases are not told apart).
    pub async fn authenticate(&self, header: Option<&HeaderValue>, client: &Client) -> Result<Option<User>, AppError> {
        let Some((name, password)) = header.and_then(parse_basic) else {
            return Ok(None);
        };
        Ok(self.verify(name, password, client).await?.map(|(user, _)| user))
    }

    /// The user and device a user name and device password prove, `Ok(None)` when they do
    /// not match; cached, throttled and audited like every Basic login (the web sign-in form
    /// comes through here too).
    pub async fn verify(
        &self,
        name: String,
        password: String,
        client: &Client,
    ) -> Result<Option<(User, DeviceId)>, AppError> {
        let key = cache_key(&name, &password);
        if let Some((cached, device, generation)) = self.cached(&key) {
            // Revoked since it was cached (by this process or another): forget it and check
            // the password in full, which refuses it. One primary-key read of the device; the
            // user is read again too only when this process changed a user since.
            if generation == self.engine.users_generation() {
                if self.engine.device_active(&cached, device).await? {
                    return Ok(Some((cached, device)));
                }
            } else if let Some(user) = self.engine.active_device_user(device).await?
                && user.id == cached.id
            {
                self.insert(key, user.clone(), device);
                return Ok(Some((user, device)));
            }
            self.lock().remove(&key);
        }
        let mut keys = vec![format!("user:{}", name.trim().to_ascii_lowercase())];
        keys.extend(client.addr.map(|addr| format!("addr:{addr}")));
        let wait = self.throttle.delay(&keys);
        if !wait.is_zero() {
            // A waiting request holds a place in the server's concurrency limit: when too many
            // already wait, refuse at once instead (an attack must not crowd out other users).
            let Ok(_waiting) = self.waiting.try_acquire() else {
                return Ok(None);
            };
            tokio::time::sleep(wait).await;
        }
        let engine = self.engine.clone();
        let login = name.clone();
        let runtime = tokio::runtime::Handle::current();
        // Argon2 takes tens of milliseconds of CPU: run it off the async workers.
        let verified = tokio::task::spawn_blocking(move || runtime.block_on(engine.authenticate(&name, &password)))
            .await
            .map_err(|error| AppError::Internal(format!("password check failed: {error}")))??;
        let Some((user, device)) = verified else {
            self.throttle.failed(&keys);
            self.audit_failure(&login, client).await;
            return Ok(None);
        };
        self.throttle.succeeded(&keys);
        self.insert(key, user.clone(), device);
        Ok(Some((user, device)))
    }

    async fn audit_failure(&self, name: &str, client: &Client) {
        let entry = AuditEntry {
            at: self.engine.now(),
            user: None,
            action: "login.failed".to_owned(),
            entity: televent_domain::audit::printable(name, 64),
            detail: Some("device password".to_owned()),
            client_addr: client.addr.map(|addr| addr.to_string()),
            user_agent: client
                .user_agent
                .as_ref()
                .map(|agent| televent_domain::audit::printable(agent, 256)),
        };
        if let Err(error) = self.engine.store().record(entry).await {
            tracing::warn!(%error, "could not audit a failed login");
        }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<[u8; 32], Entry>> {
        // The map is only a cache: a poisoned one is still usable.
        self.cache.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    fn cached(&self, key: &[u8; 32]) -> Option<(User, DeviceId, u64)> {
        let mut cache = self.lock();
        match cache.get(key) {
            Some(entry) if entry.expires > Instant::now() => Some((entry.user.clone(), entry.device, entry.generation)),
            Some(_) => {
                cache.remove(key);
                None
            }
            None => None,
        }
    }

    fn insert(&self, key: [u8; 32], user: User, device: DeviceId) {
        let now = Instant::now();
        let generation = self.engine.users_generation();
        let mut cache = self.lock();
        if cache.len() >= MAX_ENTRIES {
            cache.retain(|_, entry| entry.expires > now);
            if cache.len() >= MAX_ENTRIES {
                cache.clear();
            }
        }
        cache.insert(
            key,
            Entry {
                user,
                device,
                generation,
                expires: now + self.ttl,
            },
        );
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
