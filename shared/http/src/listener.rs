//! The local stack's listener. hyper answers a request it cannot parse by itself, before any
//! router or layer runs: a URI over 64 KiB gets a bare `414` with no body, a malformed
//! request line a bare `400`, oversized headers a bare `431`. Connections accepted here
//! turn those answers into problems, so every error a client of the API sees is
//! `application/problem+json`. (On AWS, API Gateway stands where hyper does.)

use axum::serve::Listener;
use std::io;
use std::net::SocketAddr;
use std::pin::Pin;
use std::task::{Context, Poll, ready};
use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::net::{TcpListener, TcpStream};

/// A TCP listener whose connections' parse-error answers are problems.
pub struct ProblemListener(pub TcpListener);

impl Listener for ProblemListener {
    type Io = ProblemIo<TcpStream>;
    type Addr = SocketAddr;

    async fn accept(&mut self) -> (Self::Io, Self::Addr) {
        let (io, addr) = Listener::accept(&mut self.0).await;
        (ProblemIo::new(io), addr)
    }

    fn local_addr(&self) -> io::Result<Self::Addr> {
        Listener::local_addr(&self.0)
    }
}

/// The address a request came from, for per-address limits (sign-in throttling): serve
/// the router with `into_make_service_with_connect_info::<ClientAddr>()`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ClientAddr(pub SocketAddr);

impl axum::extract::connect_info::Connected<axum::serve::IncomingStream<'_, ProblemListener>>
    for ClientAddr
{
    fn connect_info(stream: axum::serve::IncomingStream<'_, ProblemListener>) -> Self {
        ClientAddr(*stream.remote_addr())
    }
}

/// A connection whose bodiless 4xx answers (hyper's own) are rewritten as problems.
pub struct ProblemIo<T> {
    inner: T,
    /// A rewritten answer still being written, and how much of it is out.
    pending: Vec<u8>,
    sent: usize,
}

impl<T> ProblemIo<T> {
    /// Wraps a connection.
    pub fn new(inner: T) -> Self {
        ProblemIo {
            inner,
            pending: Vec::new(),
            sent: 0,
        }
    }
}

impl<T: AsyncWrite + Unpin> ProblemIo<T> {
    fn drain(&mut self, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        while self.sent < self.pending.len() {
            let n = ready!(Pin::new(&mut self.inner).poll_write(cx, &self.pending[self.sent..]))?;
            if n == 0 {
                return Poll::Ready(Err(io::ErrorKind::WriteZero.into()));
            }
            self.sent += n;
        }
        self.pending.clear();
        self.sent = 0;
        Poll::Ready(Ok(()))
    }
}

/// The problem to send instead of `head`, when `head` is one of hyper's own bodiless
/// 4xx answers (every answer the API itself gives names its content type).
fn rewrite(head: &[u8]) -> Option<Vec<u8>> {
    let text = std::str::from_utf8(head.get(..head.len().min(1024))?).ok()?;
    let status_line = text.lines().next()?;
    let code: u16 = status_line
        .strip_prefix("HTTP/1.1 ")?
        .split(' ')
        .next()?
        .parse()
        .ok()?;
    if !(400..500).contains(&code) || text.to_ascii_lowercase().contains("content-type:") {
        return None;
    }
    let (title, detail) = match code {
        414 => (
            "URI too long",
            "the request's URI is longer than the server reads (64 KiB); ids are short, and \
             data goes in the body",
        ),
        431 => (
            "Request header fields too large",
            "the request's headers are larger than the server reads",
        ),
        _ => (
            "Bad request",
            "the request is not well-formed HTTP/1.1 and could not be read",
        ),
    };
    let body = serde_json::json!({
        "type": format!("https://storyloom.dev/problems/{}", title.to_lowercase().replace(' ', "-")),
        "title": title,
        "status": code,
        "detail": detail,
    })
    .to_string();
    Some(
        format!(
            "{status_line}\r\ncontent-type: application/problem+json\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{body}",
            body.len()
        )
        .into_bytes(),
    )
}

impl<T: AsyncRead + Unpin> AsyncRead for ProblemIo<T> {
    fn poll_read(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        Pin::new(&mut self.inner).poll_read(cx, buf)
    }
}

impl<T: AsyncWrite + Unpin> AsyncWrite for ProblemIo<T> {
    fn poll_write(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        ready!(self.drain(cx))?;
        if buf.starts_with(b"HTTP/1.1 4")
            && let Some(problem) = rewrite(buf)
        {
            self.pending = problem;
            // The answer hyper wrote is taken whole; the problem goes out in its place.
            let _ = self.drain(cx)?;
            return Poll::Ready(Ok(buf.len()));
        }
        Pin::new(&mut self.inner).poll_write(cx, buf)
    }

    fn poll_flush(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        ready!(self.drain(cx))?;
        Pin::new(&mut self.inner).poll_flush(cx)
    }

    fn poll_shutdown(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        ready!(self.drain(cx))?;
        Pin::new(&mut self.inner).poll_shutdown(cx)
    }

    // Plain writes only, so an answer's head reaches `poll_write` whole.
    fn is_write_vectored(&self) -> bool {
        false
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hypers_bare_answers_become_problems_and_the_apis_own_pass() {
        let bare = b"HTTP/1.1 414 URI Too Long\r\ncontent-length: 0\r\ndate: x\r\n\r\n";
        let problem = String::from_utf8(rewrite(bare).expect("rewritten")).unwrap();
        assert!(
            problem.starts_with("HTTP/1.1 414 URI Too Long\r\n"),
            "{problem}"
        );
        assert!(problem.contains("content-type: application/problem+json"));
        let body: serde_json::Value =
            serde_json::from_str(problem.split("\r\n\r\n").nth(1).unwrap()).unwrap();
        assert_eq!(body["status"], 414);
        assert!(body["detail"].as_str().unwrap().contains("64 KiB"));
        let own = b"HTTP/1.1 404 Not Found\r\ncontent-type: application/problem+json\r\n\r\n{}";
        assert_eq!(rewrite(own), None);
        assert_eq!(
            rewrite(b"HTTP/1.1 200 OK\r\ncontent-length: 0\r\n\r\n"),
            None
        );
    }
}
