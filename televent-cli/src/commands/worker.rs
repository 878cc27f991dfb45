//! `televent worker`, and the same loop inside `televent serve`: deliver what the outbox holds,
//! and every minute enqueue the reminders and digests coming up. Stops between batches on
//! SIGINT/SIGTERM, so a batch in hand is finished (or its claims run out and another worker
//! takes them: at least once, never lost).

use std::future::Future;
use std::time::Duration;

use televent_app::{DeliveryConfig, RetryPolicy, ScheduleConfig, Televent};
use tokio::time::Instant;

use crate::cli::WorkerArgs;

/// The worker's settings from the command line.
pub fn settings(args: &WorkerArgs) -> (DeliveryConfig, ScheduleConfig, Duration, Duration) {
    let mut delivery = DeliveryConfig::new(worker_name());
    delivery.batch = args.batch.max(1);
    delivery.lease = chrono::Duration::seconds(i64::from(args.lease_seconds.max(1)));
    delivery.retry = RetryPolicy {
        first_delay: chrono::Duration::seconds(i64::from(args.retry_seconds.max(1))),
        max_attempts: args.max_attempts.max(1),
        ..RetryPolicy::default()
    };
    let poll = Duration::try_from_secs_f64(args.poll_seconds.max(0.01)).unwrap_or(Duration::from_secs(1));
    let every = Duration::from_secs(u64::from(args.schedule_seconds.max(1)));
    let schedule = ScheduleConfig::default();
    (delivery, schedule, poll, every)
}

/// A name no other running worker has: host-less but unique enough (process id and start
/// instant), since claims are matched by it.
fn worker_name() -> String {
    let started = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_nanos());
    format!("worker-{}-{started:x}", std::process::id())
}

/// Runs the worker until `shutdown` completes.
pub async fn run(engine: Televent, args: WorkerArgs, shutdown: impl Future<Output = ()>) {
    let (delivery, schedule, poll, every) = settings(&args);
    tracing::info!(worker = %delivery.worker, batch = delivery.batch, "worker started");
    tokio::pin!(shutdown);
    let mut next_schedule = Instant::now();
    loop {
        if Instant::now() >= next_schedule {
            match engine.schedule_notices(&schedule).await {
                Ok(report) if report.reminders + report.digests > 0 => {
                    tracing::info!(reminders = report.reminders, digests = report.digests, "scheduled");
                }
                Ok(_) => {}
                Err(error) => tracing::warn!(%error, "scheduling reminders failed; trying again later"),
            }
            next_schedule = Instant::now() + every;
        }
        let full_batch = match engine.deliver_due(&delivery).await {
            Ok(report) => {
                if report.claimed > 0 {
                    tracing::info!(
                        claimed = report.claimed,
                        delivered = report.delivered,
                        dropped = report.dropped,
                        retrying = report.retrying,
                        dead = report.dead,
                        waiting = report.waiting,
                        "delivery round"
                    );
                }
                report.claimed >= delivery.batch && report.waiting < report.claimed
            }
            Err(error) => {
                tracing::warn!(%error, "claiming from the outbox failed; trying again");
                false
            }
        };
        if full_batch {
            // More is waiting: go on at once, unless asked to stop.
            tokio::select! {
                biased;
                () = &mut shutdown => break,
                () = std::future::ready(()) => continue,
            }
        }
        tokio::select! {
            () = &mut shutdown => break,
            () = tokio::time::sleep(poll) => {}
        }
    }
    tracing::info!(worker = %delivery.worker, "worker stopped");
}
