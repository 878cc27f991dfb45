//! Prometheus metrics of the door, served as text at `GET /metrics`: requests by method and
//! status, a latency histogram, and the requests that failed because storage did.
//!
//! Labels are bounded (known methods, numeric statuses), so the set of series cannot grow with
//! what clients send. It must never label anything with a user, a path or a client address.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use televent_domain::outbox::Channel;

/// Upper bounds of the latency buckets, in seconds.
const BUCKETS: [f64; 12] = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 10.0];

/// Methods counted under their own name; any other is `OTHER`.
const METHODS: [&str; 12] = [
    "GET",
    "HEAD",
    "PUT",
    "DELETE",
    "OPTIONS",
    "PROPFIND",
    "PROPPATCH",
    "REPORT",
    "MKCALENDAR",
    "MKCOL",
    "POST",
    "MOVE",
];

/// A marker a response carries when storage failed under it (set by `error`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct StoreFailure;

/// The counters.
#[derive(Debug, Default)]
pub struct Metrics {
    /// Requests by (method, status). Shared by every connection; held only to add one.
    requests: Mutex<BTreeMap<(&'static str, u16), u64>>,
    /// Requests per latency bucket (not cumulative); the last slot is +Inf.
    buckets: [AtomicU64; BUCKETS.len() + 1],
    /// Sum of latencies in microseconds.
    sum_micros: AtomicU64,
    /// Requests answered because storage failed.
    store_errors: AtomicU64,
}

impl Metrics {
    /// Counts one answered request.
    pub fn record(&self, method: &str, status: u16, elapsed: Duration, store_failed: bool) {
        let method = METHODS.iter().find(|m| **m == method).copied().unwrap_or("OTHER");
        {
            let mut requests = self.requests.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
            *requests.entry((method, status)).or_insert(0) += 1;
        }
        let seconds = elapsed.as_secs_f64();
        let slot = BUCKETS
            .iter()
            .position(|bound| seconds <= *bound)
            .unwrap_or(BUCKETS.len());
        if let Some(bucket) = self.buckets.get(slot) {
            bucket.fetch_add(1, Ordering::Relaxed);
        }
        self.sum_micros.fetch_add(
            u64::try_from(elapsed.as_micros()).unwrap_or(u64::MAX),
            Ordering::Relaxed,
        );
        if store_failed {
            self.store_errors.fetch_add(1, Ordering::Relaxed);
        }
    }

    /// The Prometheus text exposition (format 0.0.4).
    pub fn render(&self) -> String {
        let mut out = String::new();
        out.push_str("# HELP televent_http_requests_total HTTP requests answered, by method and status.\n");
        out.push_str("# TYPE televent_http_requests_total counter\n");
        let requests = self
            .requests
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .clone();
        for ((method, status), count) in &requests {
            let _ = writeln!(
                out,
                "televent_http_requests_total{{method=\"{method}\",status=\"{status}\"}} {count}"
            );
        }
        out.push_str("# HELP televent_http_request_duration_seconds Time from request to response.\n");
        out.push_str("# TYPE televent_http_request_duration_seconds histogram\n");
        let mut cumulative = 0;
        for (bound, bucket) in BUCKETS.iter().zip(&self.buckets) {
            cumulative += bucket.load(Ordering::Relaxed);
            let _ = writeln!(
                out,
                "televent_http_request_duration_seconds_bucket{{le=\"{bound}\"}} {cumulative}"
            );
        }
        cumulative += self.buckets.last().map_or(0, |b| b.load(Ordering::Relaxed));
        let _ = writeln!(
            out,
            "televent_http_request_duration_seconds_bucket{{le=\"+Inf\"}} {cumulative}"
        );
        let sum = Duration::from_micros(self.sum_micros.load(Ordering::Relaxed)).as_secs_f64();
        let _ = writeln!(out, "televent_http_request_duration_seconds_sum {sum}");
        let _ = writeln!(out, "televent_http_request_duration_seconds_count {cumulative}");
        out.push_str("# HELP televent_store_errors_total Requests that failed because storage did.\n");
        out.push_str("# TYPE televent_store_errors_total counter\n");
        let _ = writeln!(
            out,
            "televent_store_errors_total {}",
            self.store_errors.load(Ordering::Relaxed)
        );
        out
    }
}

/// The worker's side: outbox depth by status (from the store, so every process reports the
/// shared queue) and this process's deliveries and failures by channel.
pub async fn delivery(engine: &televent_app::Televent) -> String {
    let mut out = String::new();
    out.push_str("# HELP televent_outbox_messages Outbox messages by status.\n");
    out.push_str("# TYPE televent_outbox_messages gauge\n");
    match engine.store().counts(engine.now()).await {
        Ok(counts) => {
            for (status, count) in [
                ("pending", counts.pending),
                ("claimed", counts.claimed),
                ("delivered", counts.delivered),
                ("failed", counts.failed),
            ] {
                let _ = writeln!(out, "televent_outbox_messages{{status=\"{status}\"}} {count}");
            }
        }
        Err(error) => tracing::warn!(%error, "metrics: cannot count the outbox"),
    }
    let stats = engine.delivery_stats();
    for (name, help) in [
        ("delivered", "Messages delivered by this process, by channel."),
        ("failed", "Failed delivery attempts by this process, by channel."),
        ("dead", "Messages this process dead-lettered, by channel."),
    ] {
        let _ = writeln!(out, "# HELP televent_outbox_{name}_total {help}");
        let _ = writeln!(out, "# TYPE televent_outbox_{name}_total counter");
        for channel in [Channel::Telegram, Channel::Email] {
            let counters = stats.channel(channel);
            let counter = match name {
                "delivered" => &counters.delivered,
                "failed" => &counters.failed,
                _ => &counters.dead,
            };
            let _ = writeln!(
                out,
                "televent_outbox_{name}_total{{channel=\"{}\"}} {}",
                channel.as_str(),
                counter.load(Ordering::Relaxed)
            );
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn renders_counters_and_a_cumulative_histogram() {
        let metrics = Metrics::default();
        metrics.record("PUT", 201, Duration::from_millis(3), false);
        metrics.record("PUT", 201, Duration::from_millis(30), false);
        metrics.record("BREW", 405, Duration::from_secs(60), false);
        metrics.record("GET", 503, Duration::from_millis(1), true);
        let text = metrics.render();
        assert!(
            text.contains("televent_http_requests_total{method=\"PUT\",status=\"201\"} 2\n"),
            "{text}"
        );
        assert!(
            text.contains("televent_http_requests_total{method=\"OTHER\",status=\"405\"} 1\n"),
            "{text}"
        );
        assert!(
            text.contains("televent_http_request_duration_seconds_bucket{le=\"0.005\"} 2\n"),
            "{text}"
        );
        assert!(
            text.contains("televent_http_request_duration_seconds_bucket{le=\"10\"} 3\n"),
            "{text}"
        );
        assert!(
            text.contains("televent_http_request_duration_seconds_bucket{le=\"+Inf\"} 4\n"),
            "{text}"
        );
        assert!(
            text.contains("televent_http_request_duration_seconds_count 4\n"),
            "{text}"
        );
        assert!(text.contains("televent_store_errors_total 1\n"), "{text}");
    }
}
