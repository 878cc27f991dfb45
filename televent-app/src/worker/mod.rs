//! The worker's use cases: delivering what the outbox holds, scheduling reminders and digests
//! ahead of time, and taking attendees' answers. The loop that calls them on a timer lives in
//! the composition root (`televent worker`), so that these stay plain async functions over the
//! ports, driven by the clock port and testable without waiting.

mod admin;
mod delivery;
mod render;
mod retry;
mod rsvp;
mod scheduler;
mod stats;

pub use delivery::{DeliveryConfig, DeliveryReport};
pub use retry::RetryPolicy;
pub use rsvp::{RsvpCallback, RsvpOutcome};
pub use scheduler::{ScheduleConfig, ScheduleReport};
pub use stats::{ChannelStats, DeliveryStats};
