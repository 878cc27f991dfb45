//! The HTTP door's settings. Plain data: it must never read the environment (the CLI does).

use std::time::Duration;

/// Default largest calendar resource a PUT may send: 10 MiB.
pub const DEFAULT_MAX_RESOURCE_SIZE: u64 = 10 * 1024 * 1024;

/// How the CalDAV server behaves.
#[derive(Debug, Clone, PartialEq, Eq)]
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
    /// How many requests are handled at once; others wait.
    pub max_concurrent_requests: usize,
    /// How long a verified credential stays cached (revoking a device takes effect after it).
    pub auth_cache_ttl: Duration,
}

impl Default for HttpConfig {
    fn default() -> Self {
        Self {
            public_url: None,
            max_resource_size: DEFAULT_MAX_RESOURCE_SIZE,
            max_request_body: DEFAULT_MAX_RESOURCE_SIZE + 1024 * 1024,
            request_timeout: Duration::from_secs(60),
            max_concurrent_requests: 256,
            auth_cache_ttl: Duration::from_secs(300),
        }
    }
}
