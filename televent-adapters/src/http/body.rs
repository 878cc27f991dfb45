//! The door's response bodies: whole (almost every answer), or made chunk by chunk as the
//! connection takes them (listings of a whole calendar), so that a listing of N resources never
//! holds its whole text: memory per listing stays one chunk however large the calendar grows.

use std::convert::Infallible;
use std::fmt;
use std::pin::Pin;
use std::task::{Context, Poll};

use bytes::Bytes;
use hyper::body::{Frame, SizeHint};

use super::xml::multistatus::{MultistatusWriter, Response};

/// About how many bytes a chunk of a listing holds before it is handed to the connection.
pub const CHUNK_BYTES: usize = 64 * 1024;

/// Something that writes a body piece by piece.
pub trait Chunks: Send {
    /// The next piece; `None` at the end.
    fn next_chunk(&mut self) -> Option<Bytes>;
}

/// A response body.
pub enum Body {
    /// All of it at once (sent with a Content-Length); `None` once sent.
    Whole(Option<Bytes>),
    /// Made as it is sent (chunked transfer encoding).
    Chunked(Box<dyn Chunks>),
}

impl Body {
    /// `bytes`, whole.
    pub fn whole(bytes: impl Into<Bytes>) -> Self {
        Self::Whole(Some(bytes.into()))
    }

    /// A body made by `chunks`.
    pub fn chunked(chunks: impl Chunks + 'static) -> Self {
        Self::Chunked(Box::new(chunks))
    }
}

/// Empty: what layers such as the timeout answer with.
impl Default for Body {
    fn default() -> Self {
        Self::Whole(None)
    }
}

impl fmt::Debug for Body {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Whole(bytes) => f.debug_tuple("Whole").field(&bytes.as_ref().map(Bytes::len)).finish(),
            Self::Chunked(_) => f.write_str("Chunked"),
        }
    }
}

impl hyper::body::Body for Body {
    type Data = Bytes;
    type Error = Infallible;

    fn poll_frame(self: Pin<&mut Self>, _: &mut Context<'_>) -> Poll<Option<Result<Frame<Bytes>, Infallible>>> {
        let next = match self.get_mut() {
            Self::Whole(bytes) => bytes.take().filter(|bytes| !bytes.is_empty()),
            Self::Chunked(chunks) => chunks.next_chunk(),
        };
        Poll::Ready(next.map(|bytes| Ok(Frame::data(bytes))))
    }

    fn is_end_stream(&self) -> bool {
        matches!(self, Self::Whole(None)) || matches!(self, Self::Whole(Some(bytes)) if bytes.is_empty())
    }

    fn size_hint(&self) -> SizeHint {
        match self {
            Self::Whole(bytes) => SizeHint::with_exact(bytes.as_ref().map_or(0, |bytes| bytes.len() as u64)),
            Self::Chunked(_) => SizeHint::default(),
        }
    }
}

/// A multistatus listing `items`, each made into its response by `respond` only when the
/// connection asks for more: what is held is the items (listing data, no bytes) and one chunk.
pub struct Listing<T, F> {
    /// `None` once the closing tag was written.
    writer: Option<MultistatusWriter>,
    items: std::vec::IntoIter<T>,
    respond: F,
    last: Option<Response>,
    sync_token: Option<String>,
}

impl<T, F> fmt::Debug for Listing<T, F> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Listing")
            .field("items_left", &self.items.len())
            .field("finished", &self.writer.is_none())
            .finish()
    }
}

impl<T, F> Listing<T, F>
where
    T: Send,
    F: FnMut(T) -> Response + Send,
{
    /// After what `writer` already holds (the collection's own response, say), `items` as
    /// `respond` makes them.
    pub fn new(writer: MultistatusWriter, items: Vec<T>, respond: F) -> Self {
        Self {
            writer: Some(writer),
            items: items.into_iter(),
            respond,
            last: None,
            sync_token: None,
        }
    }

    /// Ends it with `last` (a 507 saying a limit cut the list short, say) and the top-level
    /// `sync_token`, when given.
    pub fn ending(self, last: Option<Response>, sync_token: Option<String>) -> Self {
        Self {
            last,
            sync_token,
            ..self
        }
    }
}

impl<T, F> Chunks for Listing<T, F>
where
    T: Send,
    F: FnMut(T) -> Response + Send,
{
    fn next_chunk(&mut self) -> Option<Bytes> {
        let writer = self.writer.as_mut()?;
        while writer.len() < CHUNK_BYTES {
            match self.items.next() {
                Some(item) => writer.push(&(self.respond)(item)),
                None => {
                    let mut writer = self.writer.take()?;
                    writer.extend(&self.last);
                    return Some(Bytes::from(writer.finish(self.sync_token.as_deref())));
                }
            }
        }
        Some(Bytes::from(writer.take_written()))
    }
}

#[cfg(test)]
mod tests {
    use http::StatusCode;
    use http_body_util::BodyExt as _;

    use super::*;
    use crate::http::xml::multistatus::{ResponseBody, multistatus};

    fn gone(index: usize) -> Response {
        Response {
            href: format!("/dav/calendars/a/b/{index:05}.ics"),
            body: ResponseBody::Status(StatusCode::NOT_FOUND),
        }
    }

    #[tokio::test]
    async fn a_listing_in_chunks_is_the_same_document_as_written_whole() {
        for count in [0, 1, 2_000] {
            let whole = multistatus((0..count).map(gone).collect(), Some("token"));
            let listing = Listing::new(MultistatusWriter::with_capacity(0), (0..count).collect(), gone)
                .ending(None, Some("token".to_owned()));
            let mut body = Body::chunked(listing);
            let mut chunks = 0;
            let mut text = Vec::new();
            while let Some(frame) = body.frame().await {
                let data = frame.unwrap().into_data().unwrap();
                assert!(data.len() <= CHUNK_BYTES + 200, "a chunk of {} bytes", data.len());
                text.extend_from_slice(&data);
                chunks += 1;
            }
            assert_eq!(String::from_utf8(text).unwrap(), whole, "{count} responses");
            assert!(count < 2_000 || chunks > 1, "{count} responses in {chunks} chunks");
        }
    }

    #[tokio::test]
    async fn a_whole_body_says_its_length_and_ends() {
        let mut body = Body::whole("abc");
        assert_eq!(hyper::body::Body::size_hint(&body).exact(), Some(3));
        assert!(!hyper::body::Body::is_end_stream(&body));
        assert_eq!(body.frame().await.unwrap().unwrap().into_data().unwrap(), "abc");
        assert!(hyper::body::Body::is_end_stream(&body));
        assert!(body.frame().await.is_none());
        assert!(hyper::body::Body::is_end_stream(&Body::whole("")));
    }
}
