//! The HTTP door's settings. Plain data: it must never read the environment (the CLI does).

use std::time::Duration;

/// Default largest calendar resource a PUT may send: 10 MiB.
pub const DEFAULT_MAX_RESOURCE_SIZE: u64 = 10 * 1024 * 1024;

/// How the CalDAV server behaves.
#[derive(Clone, PartialEq)]
pub struct HttpConfig {
    /// The URL clients reach the server by (`https://cal.example.com`), used for absolute
    /// redirects; `None` answers with paths only.
    pub public_url: Option<String>,
    /// The largest resource a PUT may store (advertised as CALDAV:max-resource-size). It also
    /// bounds XML request bodies.
    pub max_resource_size: u64,
    /// The largest request body the server reads at all; a larger one is answered 413 before
    /// any handler runs. Keep it above `max_resource_size` so a too-large PUT gets its
    /// `max-resource-size` precondition.
    pub max_request_body: u64,
    /// How long one request may take before it is answered 503.
    pub request_timeout: Duration,
    /// How long a client may take to send a request's headers (slow clients are cut off).
    pub header_read_timeout: Duration,
    /// How many requests are handled at once; others wait.
    pub max_concurrent_requests: usize,
    /// How long a verified credential stays cached (revoking a device takes effect after it).
    pub auth_cache_ttl: Duration,
    /// The bot token, to check Telegram Mini App sign-ins (and webhook calls); `None` refuses
    /// them.
    pub telegram_bot_token: Option<String>,
    /// True when the server speaks TLS itself (cookies are then marked Secure).
    pub tls: bool,
    /// Requests allowed per client address and per credential: the rate limiter's refill per
    /// second and burst; `None` turns it off.
    pub rate_limit: Option<RateLimit>,
}

/// A token bucket's size: `burst` requests at once, refilled at `per_second`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct RateLimit {
    /// Requests added back each second.
    pub per_second: f64,
    /// The most requests at once.
    pub burst: f64,
}

impl Default for RateLimit {
    /// Far above what any client's sync sends (an initial sync of a large calendar is a
    /// few hundred requests; a client uploading a 5,000-event import one PUT at a time stays
    /// within the burst), low enough to stop a flood.
    fn default() -> Self {
        Self {
            per_second: 200.0,
            burst: 5000.0,
        }
    }
}

impl Default for HttpConfig {
    fn default() -> Self {
        Self {
            public_url: None,
            max_resource_size: DEFAULT_MAX_RESOURCE_SIZE,
            max_request_body: DEFAULT_MAX_RESOURCE_SIZE + 1024 * 1024,
            request_timeout: Duration::from_secs(60),
            header_read_timeout: Duration::from_secs(30),
            max_concurrent_requests: 256,
            auth_cache_ttl: Duration::from_secs(300),
            telegram_bot_token: None,
            tls: false,
            rate_limit: Some(RateLimit::default()),
        }
    }
}

impl std::fmt::Debug for HttpConfig {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // The bot token is a secret: never in logs.
        f.debug_struct("HttpConfig")
            .field("public_url", &self.public_url)
            .field("max_resource_size", &self.max_resource_size)
            .field("max_request_body", &self.max_request_body)
            .field("request_timeout", &self.request_timeout)
            .field("header_read_timeout", &self.header_read_timeout)
            .field("max_concurrent_requests", &self.max_concurrent_requests)
            .field("auth_cache_ttl", &self.auth_cache_ttl)
            .field("telegram_bot_token", &self.telegram_bot_token.as_ref().map(|_| "<set>"))
            .field("tls", &self.tls)
            .field("rate_limit", &self.rate_limit)
            .finish()
    }
}
