//! When a failed delivery is tried again: exponential backoff with jitter, then a dead letter.

use chrono::{DateTime, Duration, Utc};
use televent_domain::ids::OutboxId;

/// How failed deliveries are retried.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RetryPolicy {
    /// The wait after the first failure; each further failure doubles it.
    pub first_delay: Duration,
    /// The longest wait between tries.
    pub max_delay: Duration,
    /// Tries before a message is dead-lettered (kept, listed, retryable by hand).
    pub max_attempts: u32,
}

impl Default for RetryPolicy {
    /// 30 s, 1 min, 2 min ... up to an hour between tries; dead after 10 tries (about 3 h).
    fn default() -> Self {
        Self {
            first_delay: Duration::seconds(30),
            max_delay: Duration::hours(1),
            max_attempts: 10,
        }
    }
}

impl RetryPolicy {
    /// When to try `message` again after its `attempts`-th failure (counting that one), or
    /// `None` when it is to be dead-lettered. The delay is spread by up to a quarter either
    /// way, derived from the message id, so that messages failing together (Telegram down for
    /// a minute) do not all come back in the same instant.
    pub fn next_try(&self, message: OutboxId, attempts: u32, now: DateTime<Utc>) -> Option<DateTime<Utc>> {
        if attempts >= self.max_attempts {
            return None;
        }
        let doublings = attempts.saturating_sub(1).min(30);
        let base = self
            .first_delay
            .checked_mul(1_i32 << doublings)
            .map_or(self.max_delay, |d| d.min(self.max_delay));
        let spread = message.as_uuid().as_u128().wrapping_add(u128::from(attempts)) % 1001;
        // spread in 0..=1000 maps to a factor in 0.75..=1.25.
        let millis = base.num_milliseconds();
        let jittered = millis * 3 / 4 + millis / 2 * i64::try_from(spread).unwrap_or(500) / 1000;
        Some(now + Duration::milliseconds(jittered.max(1)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backs_off_exponentially_within_the_jitter_then_gives_up() {
        let policy = RetryPolicy::default();
        let now = DateTime::<Utc>::UNIX_EPOCH;
        for id in (0..50).map(|_| OutboxId::new_random()) {
            for attempt in 1..policy.max_attempts {
                let wait = policy.next_try(id, attempt, now).unwrap() - now;
                let base = (Duration::seconds(30) * 2_i32.pow(attempt - 1)).min(Duration::hours(1));
                assert!(
                    wait >= base * 3 / 4 && wait <= base * 5 / 4,
                    "attempt {attempt}: {wait}"
                );
            }
            assert_eq!(policy.next_try(id, policy.max_attempts, now), None);
        }
    }

    #[test]
    fn messages_failing_together_come_back_apart() {
        let policy = RetryPolicy::default();
        let now = DateTime::<Utc>::UNIX_EPOCH;
        let times: std::collections::HashSet<_> = (0..20)
            .map(|_| policy.next_try(OutboxId::new_random(), 3, now))
            .collect();
        assert!(times.len() > 10, "{} distinct retry times", times.len());
    }
}
