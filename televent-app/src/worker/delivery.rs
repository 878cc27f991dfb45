//! Delivering due outbox messages: claim a batch under a lease, send each on its channel, and
//! record the outcome. At least once: a worker that dies mid-batch leaves its claims to run
//! out, and another worker sends those messages again.

use chrono::{DateTime, Duration, Utc};
use televent_domain::outbox::OutboxMessage;
use televent_ports::mailer::MailerError;
use televent_ports::notifier::NotifierError;

use super::render::{Outgoing, RenderError};
use super::retry::RetryPolicy;
use super::stats::DeliveryStats;
use crate::engine::Televent;
use crate::error::AppError;

/// How a worker delivers.
#[derive(Debug, Clone)]
pub struct DeliveryConfig {
    /// This worker's name, unique among running workers (claims are held under it).
    pub worker: String,
    /// Messages claimed at once.
    pub batch: usize,
    /// How long a claim holds before another worker may take the message.
    pub lease: Duration,
    /// Retries and dead letters.
    pub retry: RetryPolicy,
    /// How long a message whose channel is off waits before it is looked at again.
    pub channel_off_wait: Duration,
}

impl DeliveryConfig {
    /// Defaults for a worker called `worker`: batches of 32 under a 2-minute lease.
    pub fn new(worker: impl Into<String>) -> Self {
        Self {
            worker: worker.into(),
            batch: 32,
            lease: Duration::minutes(2),
            retry: RetryPolicy::default(),
            channel_off_wait: Duration::minutes(1),
        }
    }
}

/// What one round of delivery did.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct DeliveryReport {
    /// Messages claimed.
    pub claimed: usize,
    /// Sent.
    pub delivered: usize,
    /// Finished without sending (a reminder of a deleted event, a silent empty day).
    pub dropped: usize,
    /// Failed and due again later.
    pub retrying: usize,
    /// Dead-lettered.
    pub dead: usize,
    /// Left pending because their channel is not configured.
    pub waiting: usize,
}

/// What became of one message.
enum Outcome {
    Sent,
    Dropped(String),
    /// A failed try: retried with backoff, or dead-lettered when `permanent`.
    Failed {
        error: String,
        permanent: bool,
    },
    /// Not tried (the channel is off, or asked us to wait): due again at `until`, no try counted.
    Wait {
        until: DateTime<Utc>,
        why: &'static str,
    },
}

impl Televent {
    /// Claims and delivers one batch of due messages. Store failures while recording an
    /// outcome are logged, not returned: the claim then runs out and the message is sent again
    /// (at least once).
    pub async fn deliver_due(&self, config: &DeliveryConfig) -> Result<DeliveryReport, AppError> {
        let now = self.clock.now();
        let batch = self
            .store
            .claim(&config.worker, config.batch, config.lease, now)
            .await?;
        let mut report = DeliveryReport {
            claimed: batch.len(),
            ..DeliveryReport::default()
        };
        for message in batch {
            let outcome = self.attempt(&message, config).await;
            self.record(&message, outcome, config, &mut report).await;
        }
        Ok(report)
    }

    async fn attempt(&self, message: &OutboxMessage, config: &DeliveryConfig) -> Outcome {
        let now = self.clock.now();
        let outgoing = match self.render(message, now).await {
            Ok(outgoing) => outgoing,
            Err(RenderError::Store(error)) => {
                return Outcome::Failed {
                    error: format!("reading what to send: {error}"),
                    permanent: false,
                };
            }
            Err(RenderError::Undeliverable(why)) => {
                return Outcome::Failed {
                    error: why,
                    permanent: true,
                };
            }
        };
        match outgoing {
            Outgoing::Nothing(why) => Outcome::Dropped(why),
            Outgoing::Telegram { chat, text, buttons } => match self.notifier.send(chat, &text, buttons).await {
                Ok(()) => Outcome::Sent,
                Err(NotifierError::RetryAfter(seconds)) => Outcome::Wait {
                    until: now + Duration::seconds(i64::from(seconds.max(1))),
                    why: "Telegram asked us to wait",
                },
                Err(NotifierError::Disabled) => Outcome::Wait {
                    until: now + config.channel_off_wait,
                    why: "Telegram delivery is off",
                },
                Err(error @ NotifierError::Temporary(_)) => Outcome::Failed {
                    error: error.to_string(),
                    permanent: false,
                },
                Err(error @ NotifierError::Permanent(_)) => Outcome::Failed {
                    error: error.to_string(),
                    permanent: true,
                },
            },
            Outgoing::Email(mail) => match self.mailer.send(&mail).await {
                Ok(()) => Outcome::Sent,
                Err(MailerError::Disabled) => Outcome::Wait {
                    until: now + config.channel_off_wait,
                    why: "e-mail delivery is off",
                },
                Err(error @ MailerError::Temporary(_)) => Outcome::Failed {
                    error: error.to_string(),
                    permanent: false,
                },
                Err(error @ MailerError::Permanent(_)) => Outcome::Failed {
                    error: error.to_string(),
                    permanent: true,
                },
            },
        }
    }

    async fn record(
        &self,
        message: &OutboxMessage,
        outcome: Outcome,
        config: &DeliveryConfig,
        report: &mut DeliveryReport,
    ) {
        let now = self.clock.now();
        let stats = self.delivery_stats.channel(message.channel);
        let channel = message.channel.as_str();
        let id = message.id;
        let stored = match outcome {
            Outcome::Sent => {
                report.delivered += 1;
                DeliveryStats::count(&stats.delivered);
                tracing::debug!(%id, channel, "delivered");
                self.store.complete(id, &config.worker, now).await
            }
            Outcome::Dropped(why) => {
                report.dropped += 1;
                tracing::debug!(%id, channel, why, "nothing to send");
                self.store.complete(id, &config.worker, now).await
            }
            Outcome::Wait { until, why } => {
                report.waiting += 1;
                tracing::debug!(%id, channel, why, %until, "waiting");
                self.store.release(id, &config.worker, until, now).await
            }
            Outcome::Failed { error, permanent } => {
                DeliveryStats::count(&stats.failed);
                let attempts = message.attempts.saturating_add(1);
                let retry_at = if permanent {
                    None
                } else {
                    config.retry.next_try(id, attempts, now)
                };
                match retry_at {
                    Some(at) => {
                        report.retrying += 1;
                        tracing::warn!(%id, channel, attempts, error, retry_at = %at, "delivery failed; will retry");
                    }
                    None => {
                        report.dead += 1;
                        DeliveryStats::count(&stats.dead);
                        tracing::error!(%id, channel, attempts, error, "delivery failed; dead-lettered");
                    }
                }
                self.store.fail(id, &config.worker, &error, retry_at, now).await
            }
        };
        if let Err(error) = stored {
            // The claim runs out and the message is tried again: at least once, never lost.
            tracing::warn!(%id, channel, %error, "could not record a delivery outcome");
        }
    }
}
