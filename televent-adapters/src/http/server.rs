//! Serving the door: accepting connections on a listener, HTTP/1.1 through hyper, the tower
//! layers around the handler, and a graceful shutdown that lets requests in flight finish.
//!
//! Layers, outermost first: catch-panic (a panic answers 500 and is logged), the request body
//! limit (`max_request_body`, answered 413), the rate limit per client address and credential
//! (answered 429, `rate_limit`), the timeout (answered 503). The concurrency limit is not a
//! layer: `Dav::handle` takes a place only once the request's body is read, so clients that
//! send their bodies slowly cannot hold every place. Each request runs in a tracing span with a request id, is logged
//! with its status and duration, and is counted in `metrics`. This module must never know
//! CalDAV: it only runs `Dav::handle`.

use std::convert::Infallible;
use std::future::Future;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use http::StatusCode;
use hyper::server::conn::http1;
use hyper_util::rt::{TokioIo, TokioTimer};
use hyper_util::server::graceful::GracefulShutdown;
use hyper_util::service::TowerToHyperService;
use televent_app::Televent;
use tokio::net::TcpListener;
use tokio_rustls::TlsAcceptor;
use tower::{ServiceBuilder, ServiceExt as _};
use tower_http::catch_panic::CatchPanicLayer;
use tower_http::limit::RequestBodyLimitLayer;
use tower_http::timeout::TimeoutLayer;
use tracing::Instrument as _;

use super::config::HttpConfig;
use super::handler::{ClientAddr, Dav};
use super::metrics::{Metrics, StoreFailure};
use super::rate_limit::RateLimitLayer;

/// How long shutdown waits for requests in flight before it drops their connections.
const SHUTDOWN_GRACE: Duration = Duration::from_secs(30);

/// Serves CalDAV on `listener` until `shutdown` completes, then stops accepting, lets requests
/// in flight finish (up to a grace period) and returns.
pub async fn run(listener: TcpListener, engine: Televent, config: HttpConfig, shutdown: impl Future<Output = ()>) {
    run_with_tls(listener, engine, config, None, shutdown).await;
}

/// [`run`], speaking TLS on every connection when `tls` is given (see `super::tls`).
pub async fn run_with_tls(
    listener: TcpListener,
    engine: Televent,
    config: HttpConfig,
    tls: Option<TlsAcceptor>,
    shutdown: impl Future<Output = ()>,
) {
    serve(listener, Dav::new(engine, config), tls, shutdown).await;
}

/// [`run_with_tls`] with a door built by the caller (to add a Telegram webhook, say).
pub async fn serve(listener: TcpListener, dav: Dav, tls: Option<TlsAcceptor>, shutdown: impl Future<Output = ()>) {
    let max_body = usize::try_from(dav.config.max_request_body).unwrap_or(usize::MAX);
    let timeout = dav.config.request_timeout;
    let header_timeout = dav.config.header_read_timeout;
    let rate_limit = RateLimitLayer::new(dav.config.rate_limit);
    let metrics = Arc::clone(&dav.metrics);
    let handler = tower::service_fn(move |request| {
        let dav = dav.clone();
        async move { Ok::<_, Infallible>(dav.handle(request).await) }
    });
    // Built once: its clones share the rate limiter's buckets.
    let service = ServiceBuilder::new()
        .layer(CatchPanicLayer::custom(on_panic))
        .layer(RequestBodyLimitLayer::new(max_body))
        .layer(rate_limit)
        .layer(TimeoutLayer::with_status_code(StatusCode::SERVICE_UNAVAILABLE, timeout))
        .service(handler);

    let graceful = GracefulShutdown::new();
    let mut shutdown = std::pin::pin!(shutdown);
    loop {
        let (stream, peer) = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok(accepted) => accepted,
                Err(error) => {
                    // Out of file descriptors and the like: wait a little instead of spinning.
                    tracing::warn!(%error, "accept failed");
                    tokio::time::sleep(Duration::from_millis(50)).await;
                    continue;
                }
            },
            () = &mut shutdown => break,
        };
        let service = TowerToHyperService::new(per_connection(service.clone(), peer, Arc::clone(&metrics)));
        let watcher = graceful.watcher();
        let tls = tls.clone();
        tokio::spawn(async move {
            let result = match tls {
                None => {
                    watcher
                        .watch(http1_connection(TokioIo::new(stream), service, header_timeout))
                        .await
                }
                Some(acceptor) => {
                    // A client that never finishes its handshake must not hold a task forever.
                    match tokio::time::timeout(TLS_HANDSHAKE_TIMEOUT, acceptor.accept(stream)).await {
                        Ok(Ok(stream)) => {
                            watcher
                                .watch(http1_connection(TokioIo::new(stream), service, header_timeout))
                                .await
                        }
                        Ok(Err(error)) => {
                            tracing::debug!(%error, %peer, "TLS handshake failed");
                            return;
                        }
                        Err(_) => {
                            tracing::debug!(%peer, "TLS handshake timed out");
                            return;
                        }
                    }
                }
            };
            if let Err(error) = result {
                tracing::debug!(%error, %peer, "connection ended with an error");
            }
        });
    }
    drop(listener);
    tokio::select! {
        () = graceful.shutdown() => {}
        () = tokio::time::sleep(SHUTDOWN_GRACE) => tracing::warn!("shutdown grace period over; dropping connections"),
    }
}

/// How long a TLS client may take to finish its handshake.
const TLS_HANDSHAKE_TIMEOUT: Duration = Duration::from_secs(10);

/// One HTTP/1.1 connection over any stream, with the header read timeout (slow clients).
fn http1_connection<I, S, B>(io: I, service: S, header_timeout: Duration) -> http1::Connection<I, S>
where
    I: hyper::rt::Read + hyper::rt::Write + Unpin,
    S: hyper::service::HttpService<hyper::body::Incoming, ResBody = B>,
    B: hyper::body::Body + 'static,
    B::Error: Into<Box<dyn std::error::Error + Send + Sync>>,
{
    http1::Builder::new()
        .timer(TokioTimer::new())
        .header_read_timeout(header_timeout)
        .serve_connection(io, service)
}

/// Request ids, unique per process.
static NEXT_REQUEST_ID: AtomicU64 = AtomicU64::new(1);

/// Wraps the shared service for one connection: the peer goes into each request's extensions,
/// and each request gets a span with an id, then a log line with its status and duration.
fn per_connection<S, B>(
    service: S,
    peer: std::net::SocketAddr,
    metrics: Arc<Metrics>,
) -> impl tower::Service<
    http::Request<hyper::body::Incoming>,
    Response = http::Response<B>,
    Error = Infallible,
    Future = impl Future<Output = Result<http::Response<B>, Infallible>> + Send,
> + Clone
where
    S: tower::Service<http::Request<hyper::body::Incoming>, Response = http::Response<B>, Error = Infallible>
        + Clone
        + Send
        + 'static,
    S::Future: Send,
    B: Send + 'static,
{
    tower::service_fn(move |mut request: http::Request<hyper::body::Incoming>| {
        request.extensions_mut().insert(ClientAddr(peer));
        let id = NEXT_REQUEST_ID.fetch_add(1, Ordering::Relaxed);
        let span = tracing::info_span!("request", id, method = %request.method(), path = %request.uri().path());
        let started = Instant::now();
        let method = request.method().clone();
        let metrics = Arc::clone(&metrics);
        let call = service.clone().oneshot(request);
        async move {
            let response = call.await?;
            let elapsed_ms = u64::try_from(started.elapsed().as_millis()).unwrap_or(u64::MAX);
            tracing::info!(status = response.status().as_u16(), elapsed_ms, "answered");
            let store_failed = response.extensions().get::<StoreFailure>().is_some();
            metrics.record(
                method.as_str(),
                response.status().as_u16(),
                started.elapsed(),
                store_failed,
            );
            Ok(response)
        }
        .instrument(span)
    })
}

fn on_panic(panic: Box<dyn std::any::Any + Send + 'static>) -> super::response::HttpResponse {
    let message = panic
        .downcast_ref::<&str>()
        .map(|s| (*s).to_owned())
        .or_else(|| panic.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "unknown panic".to_owned());
    tracing::error!(panic = %message, "a request handler panicked");
    super::response::plain(StatusCode::INTERNAL_SERVER_ERROR, "internal error")
}
