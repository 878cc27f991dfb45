//! The system clock.

use chrono::{DateTime, Utc};
use televent_ports::Clock;

/// Reads the system time.
#[derive(Debug, Clone, Copy, Default)]
pub struct SystemClock;

impl Clock for SystemClock {
    fn now(&self) -> DateTime<Utc> {
        Utc::now()
    }
}
