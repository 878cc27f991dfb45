//! Counters of deliveries and failures by channel, for `/metrics`. Shared between the worker
//! and the HTTP door of one process, hence atomics.

use std::sync::atomic::{AtomicU64, Ordering};

use televent_domain::outbox::Channel;

/// Deliveries and failures of one channel.
#[derive(Debug, Default)]
pub struct ChannelStats {
    /// Messages delivered.
    pub delivered: AtomicU64,
    /// Failed attempts (retried later or dead-lettered).
    pub failed: AtomicU64,
    /// Messages dead-lettered.
    pub dead: AtomicU64,
}

/// Counters of this process's deliveries.
#[derive(Debug, Default)]
pub struct DeliveryStats {
    /// Telegram.
    pub telegram: ChannelStats,
    /// E-mail.
    pub email: ChannelStats,
}

impl DeliveryStats {
    /// The counters of `channel`.
    pub fn channel(&self, channel: Channel) -> &ChannelStats {
        match channel {
            Channel::Telegram => &self.telegram,
            Channel::Email => &self.email,
        }
    }

    pub(crate) fn count(counter: &AtomicU64) {
        counter.fetch_add(1, Ordering::Relaxed);
    }
}
