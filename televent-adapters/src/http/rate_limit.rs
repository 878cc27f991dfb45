//! A tower layer that limits requests per client address and per credential (the
//! Authorization header or session cookie, hashed): a token bucket each, refilled at
//! `per_second` up to `burst`. A request that finds either bucket empty is answered 429 with
//! Retry-After and never reaches the handler.
//!
//! The defaults (`RateLimit::default`) sit far above a real client's sync, so only floods meet
//! them. State is per process and bounded: past `MAX_KEYS` keys, full buckets are forgotten.

use std::collections::HashMap;
use std::convert::Infallible;
use std::future::Future;
use std::pin::Pin;
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll};

use http::header::{AUTHORIZATION, COOKIE, HeaderValue, RETRY_AFTER};
use http::{Request, StatusCode};
use tokio::time::Instant;
use tower::{Layer, Service};

use super::config::RateLimit;
use super::handler::ClientAddr;
use super::response::{HttpResponse, plain};

/// Past this many keys, buckets that have refilled are dropped on insert.
const MAX_KEYS: usize = 100_000;

/// The buckets, shared by every connection.
#[derive(Debug)]
pub struct Buckets {
    limit: RateLimit,
    buckets: Mutex<HashMap<[u8; 32], (f64, Instant)>>,
}

impl Buckets {
    /// Empty buckets for `limit`.
    pub fn new(limit: RateLimit) -> Self {
        Self {
            limit,
            buckets: Mutex::new(HashMap::new()),
        }
    }

    /// Takes one token from each key's bucket, or tells how many seconds until one is there.
    fn take(&self, keys: &[[u8; 32]], now: Instant) -> Result<(), u64> {
        let mut buckets = self.buckets.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        if buckets.len() >= MAX_KEYS {
            let limit = self.limit;
            buckets.retain(|_, (tokens, at)| refilled(limit, *tokens, *at, now) < limit.burst);
            if buckets.len() >= MAX_KEYS {
                buckets.clear();
            }
        }
        let mut wait: f64 = 0.0;
        for key in keys {
            let (tokens, at) = buckets.get(key).copied().unwrap_or((self.limit.burst, now));
            let tokens = refilled(self.limit, tokens, at, now);
            if tokens < 1.0 {
                wait = wait.max((1.0 - tokens) / self.limit.per_second);
            }
        }
        if wait > 0.0 {
            // Never below one second: Retry-After counts whole seconds.
            return Err(wait.ceil().max(1.0) as u64);
        }
        for key in keys {
            let (tokens, at) = buckets.get(key).copied().unwrap_or((self.limit.burst, now));
            buckets.insert(*key, (refilled(self.limit, tokens, at, now) - 1.0, now));
        }
        Ok(())
    }
}

fn refilled(limit: RateLimit, tokens: f64, at: Instant, now: Instant) -> f64 {
    (tokens + now.duration_since(at).as_secs_f64() * limit.per_second).min(limit.burst)
}

/// The keys a request is counted under: its client address and its credential, if any.
fn keys<B>(request: &Request<B>) -> Vec<[u8; 32]> {
    let mut keys = Vec::with_capacity(2);
    if let Some(peer) = request.extensions().get::<ClientAddr>() {
        keys.push(key(b"addr", peer.0.ip().to_string().as_bytes()));
    }
    let credential = request
        .headers()
        .get(AUTHORIZATION)
        .or_else(|| request.headers().get(COOKIE))
        .map(HeaderValue::as_bytes);
    if let Some(credential) = credential {
        keys.push(key(b"cred", credential));
    }
    keys
}

fn key(kind: &[u8], value: &[u8]) -> [u8; 32] {
    let mut hasher = blake3::Hasher::new();
    hasher.update(kind);
    hasher.update(value);
    *hasher.finalize().as_bytes()
}

/// The layer.
#[derive(Debug, Clone)]
pub struct RateLimitLayer {
    buckets: Option<Arc<Buckets>>,
}

impl RateLimitLayer {
    /// Limits by `limit`; `None` lets everything through.
    pub fn new(limit: Option<RateLimit>) -> Self {
        Self {
            buckets: limit.map(|limit| Arc::new(Buckets::new(limit))),
        }
    }
}

impl<S> Layer<S> for RateLimitLayer {
    type Service = RateLimited<S>;

    fn layer(&self, inner: S) -> Self::Service {
        RateLimited {
            inner,
            buckets: self.buckets.clone(),
        }
    }
}

/// The service the layer wraps around the handler.
#[derive(Debug, Clone)]
pub struct RateLimited<S> {
    inner: S,
    buckets: Option<Arc<Buckets>>,
}

impl<S, B> Service<Request<B>> for RateLimited<S>
where
    S: Service<Request<B>, Response = HttpResponse, Error = Infallible>,
    S::Future: Send + 'static,
{
    type Response = HttpResponse;
    type Error = Infallible;
    type Future = Pin<Box<dyn Future<Output = Result<HttpResponse, Infallible>> + Send>>;

    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), Self::Error>> {
        self.inner.poll_ready(cx)
    }

    fn call(&mut self, request: Request<B>) -> Self::Future {
        if let Some(buckets) = &self.buckets
            && let Err(seconds) = buckets.take(&keys(&request), Instant::now())
        {
            let api = request.uri().path().starts_with("/api/");
            return Box::pin(async move { Ok(too_many(seconds, api)) });
        }
        Box::pin(self.inner.call(request))
    }
}

/// 429 with Retry-After; problem+json for the API, plain text elsewhere.
fn too_many(seconds: u64, api: bool) -> HttpResponse {
    let detail = format!("too many requests; try again in {seconds} s");
    let mut response = if api {
        super::api::problem::Problem::new("too-many-requests", StatusCode::TOO_MANY_REQUESTS, detail).response()
    } else {
        plain(StatusCode::TOO_MANY_REQUESTS, &detail)
    };
    if let Ok(value) = HeaderValue::from_str(&seconds.to_string()) {
        response.headers_mut().insert(RETRY_AFTER, value);
    }
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test(start_paused = true)]
    async fn a_burst_then_the_refill_rate() {
        let buckets = Buckets::new(RateLimit {
            per_second: 2.0,
            burst: 3.0,
        });
        let (a, b) = ([1u8; 32], [2u8; 32]);
        let now = Instant::now();
        for _ in 0..3 {
            assert_eq!(buckets.take(&[a], now), Ok(()));
        }
        assert_eq!(buckets.take(&[a], now), Err(1));
        // Another key is not affected; a request under both keys waits for the empty one.
        assert_eq!(buckets.take(&[b], now), Ok(()));
        assert_eq!(buckets.take(&[a, b], now), Err(1));
        tokio::time::advance(std::time::Duration::from_millis(500)).await;
        assert_eq!(buckets.take(&[a], Instant::now()), Ok(()));
        assert_eq!(buckets.take(&[a], Instant::now()), Err(1));
    }
}
