//! Bodies sent a piece at a time (the open data). Every streamed body is made here.
//!
//! The compression layer reads a body once more after it has ended, and a stream such as
//! `futures::stream::unfold` panics when polled past its end (the reader then gets a reset
//! connection and half a file). Fused, a finished stream only says "ended" again.

use axum::body::{Body, Bytes};
use futures::{Stream, StreamExt};

/// A response body that sends `pieces` as they come; an error ends it broken (never a short
/// body that looks whole).
pub fn streamed<S>(pieces: S) -> Body
where
    S: Stream<Item = Result<Bytes, std::io::Error>> + Send + 'static,
{
    Body::from_stream(pieces.fuse())
}

#[cfg(test)]
mod tests {
    use super::*;
    use http_body_util::BodyExt;

    #[tokio::test]
    async fn a_streamed_body_read_past_its_end_only_says_it_ended() {
        let pieces = futures::stream::unfold(0, |n| async move {
            (n < 2).then(|| (Ok(Bytes::from_static(b"row\n")), n + 1))
        });
        let mut body = streamed(pieces);
        for _ in 0..2 {
            let frame = body.frame().await.expect("a piece").expect("no error");
            assert_eq!(frame.into_data().unwrap(), Bytes::from_static(b"row\n"));
        }
        assert!(body.frame().await.is_none());
        // An unfused unfold panics here.
        assert!(body.frame().await.is_none());
    }
}
