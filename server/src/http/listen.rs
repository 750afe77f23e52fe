//! The public listener. axum's own `serve` waits as long as a client likes for its request
//! headers and takes every connection offered, so a few hundred connections trickling a
//! byte a second (or one script opening thousands) could hold the server. Here:
//! - a connection has `header_timeout` to send each request's headers, idle or not;
//! - a request body must keep a minimum pace (`PacedBody`): slow phone networks pass, a
//!   trickle is cut and its request refused with a 4xx;
//! - at most `max_connections` are open at once; more wait in the kernel's queue until one
//!   closes, rather than failing to accept when the process runs out of file handles.

use crate::config::ConnectionLimits;
use axum::Router;
use axum::body::Body;
use axum::extract::ConnectInfo;
use bytes::Bytes;
use http_body::{Frame, SizeHint};
use hyper::body::Incoming;
use hyper_util::rt::{TokioIo, TokioTimer};
use hyper_util::service::TowerToHyperService;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};
use std::time::Duration;
use tokio::net::TcpListener;
use tokio::sync::{Semaphore, watch};
use tokio::time::{Instant, Sleep};
use tower::ServiceExt;

/// `limits.max_connections`, lowered to leave room under the process's open-file limit
/// for database connections, photo files and logs.
fn within_open_file_limit(mut limits: ConnectionLimits) -> ConnectionLimits {
    if let Some(limit) = open_file_limit() {
        limits.max_connections = limits.max_connections.min(limit.saturating_sub(256).max(64) as usize);
    }
    limits
}

/// The soft limit on open files, from `/proc/self/limits` (Linux).
fn open_file_limit() -> Option<u64> {
    let limits = std::fs::read_to_string("/proc/self/limits").ok()?;
    let line = limits.lines().find(|l| l.starts_with("Max open files"))?;
    line["Max open files".len()..].split_whitespace().next()?.parse().ok()
}

/// Serves `router` on `listener` until `shutdown` completes, then lets open requests finish.
pub async fn serve(
    listener: TcpListener,
    router: Router,
    limits: ConnectionLimits,
    shutdown: impl Future<Output = ()> + Send + 'static,
) {
    let limits = within_open_file_limit(limits);
    let slots = Arc::new(Semaphore::new(limits.max_connections));
    // Every connection holds a receiver; dropping the sender asks them to finish.
    let (stop, stopping) = watch::channel(());
    let mut shutdown = std::pin::pin!(shutdown);
    loop {
        let slot = tokio::select! {
            slot = slots.clone().acquire_owned() => slot.expect("the semaphore is never closed"),
            () = &mut shutdown => break,
        };
        let (stream, remote) = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok(accepted) => accepted,
                Err(error) => {
                    // Out of file handles or memory: wait a moment rather than spin.
                    if !matches!(
                        error.kind(),
                        std::io::ErrorKind::ConnectionAborted | std::io::ErrorKind::ConnectionReset
                    ) {
                        tracing::error!(%error, "could not accept a connection");
                        tokio::time::sleep(Duration::from_millis(100)).await;
                    }
                    continue;
                }
            },
            () = &mut shutdown => break,
        };
        let _ = stream.set_nodelay(true);
        let service = router.clone().map_request(move |request: axum::http::Request<Incoming>| {
            let mut request = request.map(|body| Body::new(PacedBody::new(body, limits)));
            request.extensions_mut().insert(ConnectInfo(remote));
            request
        });
        let mut stopping = stopping.clone();
        tokio::spawn(async move {
            let _slot = slot;
            let mut builder = hyper::server::conn::http1::Builder::new();
            builder.timer(TokioTimer::new()).header_read_timeout(limits.header_timeout);
            let connection = builder
                .serve_connection(TokioIo::new(stream), TowerToHyperService::new(service))
                .with_upgrades();
            let mut connection = std::pin::pin!(connection);
            tokio::select! {
                _ = connection.as_mut() => return,
                _ = stopping.changed() => {}
            }
            connection.as_mut().graceful_shutdown();
            let _ = connection.await;
        });
    }
    drop(listener);
    drop(stop);
    // Wait until every connection has finished what it was doing.
    let _ = slots.acquire_many(limits.max_connections as u32).await;
}

/// A request body that must keep a minimum pace: `body_grace` plus a second for every
/// `min_body_rate` bytes received so far. One that falls behind ends in an error, which
/// the handler reading it answers with a 4xx, and the connection is closed. The timer is
/// made only when the body first has to be waited for: most arrive with their headers.
struct PacedBody {
    inner: Incoming,
    started: Instant,
    received: u64,
    limits: ConnectionLimits,
    timer: Option<Pin<Box<Sleep>>>,
}

impl PacedBody {
    fn new(inner: Incoming, limits: ConnectionLimits) -> PacedBody {
        PacedBody { inner, started: Instant::now(), received: 0, limits, timer: None }
    }

    fn deadline(&self) -> Instant {
        let earned = Duration::from_secs_f64(self.received as f64 / self.limits.min_body_rate.max(1) as f64);
        self.started + self.limits.body_grace + earned
    }
}

/// A request body that fell behind its pace.
#[derive(Debug)]
struct TooSlow;

impl std::fmt::Display for TooSlow {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("the request body arrived too slowly")
    }
}

impl std::error::Error for TooSlow {}

impl http_body::Body for PacedBody {
    type Data = Bytes;
    type Error = axum::BoxError;

    fn poll_frame(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Result<Frame<Bytes>, Self::Error>>> {
        let this = &mut *self;
        match Pin::new(&mut this.inner).poll_frame(cx) {
            Poll::Ready(Some(Ok(frame))) => {
                if let Some(data) = frame.data_ref() {
                    this.received += data.len() as u64;
                }
                Poll::Ready(Some(Ok(frame)))
            }
            Poll::Ready(Some(Err(error))) => Poll::Ready(Some(Err(error.into()))),
            Poll::Ready(None) => Poll::Ready(None),
            Poll::Pending => {
                let deadline = this.deadline();
                let timer = this.timer.get_or_insert_with(|| Box::pin(tokio::time::sleep_until(deadline)));
                if timer.deadline() != deadline {
                    timer.as_mut().reset(deadline);
                }
                match timer.as_mut().poll(cx) {
                    Poll::Ready(()) => Poll::Ready(Some(Err(TooSlow.into()))),
                    Poll::Pending => Poll::Pending,
                }
            }
        }
    }

    fn is_end_stream(&self) -> bool {
        self.inner.is_end_stream()
    }

    fn size_hint(&self) -> SizeHint {
        self.inner.size_hint()
    }
}
