//! Slowing down failed logins, per user name and per client address: after a few failures each
//! further attempt waits longer (doubling up to a cap), until a quiet period has passed.
//!
//! It only computes delays; `auth` sleeps them. It must never refuse outright (a locked-out
//! legitimate user could not sign in again) and never grow without bound.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::Duration;

use tokio::time::Instant;

/// Failures allowed before any delay.
const FREE_FAILURES: u32 = 3;
/// The first delay; each further failure doubles it.
const FIRST_DELAY: Duration = Duration::from_millis(200);
/// The longest delay.
const MAX_DELAY: Duration = Duration::from_secs(5);
/// Failures older than this are forgotten.
const QUIET: Duration = Duration::from_secs(15 * 60);
/// Past this many keys, forgotten ones are swept on insert (and, if all are fresh, all go).
const MAX_KEYS: usize = 10_000;

/// Failure counts by key (`user:NAME`, `addr:IP`).
#[derive(Debug, Default)]
pub struct Throttle {
    /// Shared by every request; held only to read or update, never across an await.
    failures: Mutex<HashMap<String, (u32, Instant)>>,
}

impl Throttle {
    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<String, (u32, Instant)>> {
        // Only counters: a poisoned map is still usable.
        self.failures.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// How long an attempt under `keys` must wait first.
    pub fn delay(&self, keys: &[String]) -> Duration {
        let now = Instant::now();
        let failures = self.lock();
        keys.iter()
            .filter_map(|key| failures.get(key))
            .filter(|(_, last)| now.duration_since(*last) < QUIET)
            .map(|(count, _)| delay_for(*count))
            .max()
            .unwrap_or(Duration::ZERO)
    }

    /// Counts a failure under each key.
    pub fn failed(&self, keys: &[String]) {
        let now = Instant::now();
        let mut failures = self.lock();
        if failures.len() >= MAX_KEYS {
            failures.retain(|_, (_, last)| now.duration_since(*last) < QUIET);
            if failures.len() >= MAX_KEYS {
                failures.clear();
            }
        }
        for key in keys {
            let entry = failures.entry(key.clone()).or_insert((0, now));
            if now.duration_since(entry.1) >= QUIET {
                entry.0 = 0;
            }
            entry.0 = entry.0.saturating_add(1);
            entry.1 = now;
        }
    }

    /// Forgets the failures under `keys` (a successful login).
    pub fn succeeded(&self, keys: &[String]) {
        let mut failures = self.lock();
        for key in keys {
            failures.remove(key);
        }
    }
}

fn delay_for(count: u32) -> Duration {
    if count < FREE_FAILURES {
        return Duration::ZERO;
    }
    let doublings = (count - FREE_FAILURES).min(16);
    FIRST_DELAY.saturating_mul(1 << doublings).min(MAX_DELAY)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test(start_paused = true)]
    async fn delays_grow_cap_and_fade() {
        let throttle = Throttle::default();
        let keys = vec!["user:alice".to_owned(), "addr:127.0.0.1".to_owned()];
        for _ in 0..FREE_FAILURES {
            assert_eq!(throttle.delay(&keys), Duration::ZERO);
            throttle.failed(&keys);
        }
        assert_eq!(throttle.delay(&keys), FIRST_DELAY);
        throttle.failed(&keys);
        assert_eq!(throttle.delay(&keys), FIRST_DELAY * 2);
        for _ in 0..20 {
            throttle.failed(&keys);
        }
        assert_eq!(throttle.delay(&keys), MAX_DELAY);
        // Another address trying the same user waits too.
        assert_eq!(
            throttle.delay(&["user:alice".to_owned(), "addr:10.0.0.1".to_owned()]),
            MAX_DELAY
        );
        tokio::time::advance(QUIET).await;
        assert_eq!(throttle.delay(&keys), Duration::ZERO);
        throttle.failed(&keys);
        throttle.succeeded(&keys);
        assert_eq!(throttle.delay(&keys), Duration::ZERO);
    }
}
