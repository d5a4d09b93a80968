//! The bridge's optional metrics listener (`bridge.metrics_listen`): a deliberately tiny HTTP/1.1
//! responder on a tokio `TcpListener`, so the bridge needs no HTTP server stack. It reads one
//! request head (bounded in size and time), looks only at the request line, answers
//! `GET /metrics` with the text exposition and anything else with 404, 405 or 400, and closes
//! the connection. At most [`MAX_CONNECTIONS`] are served at once; more are closed at once.
//! There is no authentication: bind it to loopback (or a management network).

use std::sync::Arc;
use std::time::Duration;

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::Semaphore;

use super::TEXT_CONTENT_TYPE;

/// Scrapes served at the same time; a scraper needs one.
pub const MAX_CONNECTIONS: usize = 4;
/// The longest request head read; a scraper's is a few hundred bytes.
const MAX_HEAD: usize = 8 * 1024;
/// How long a client may take to send its request head.
const READ_TIMEOUT: Duration = Duration::from_secs(5);
/// How long writing the answer may take.
const WRITE_TIMEOUT: Duration = Duration::from_secs(10);

/// Produces the exposition text for one scrape (`None`: it could not be rendered, 500).
pub type Render = Arc<dyn Fn() -> Option<String> + Send + Sync>;

/// Serves scrapes on `listener` until the task is dropped or aborted.
pub async fn serve(listener: TcpListener, render: Render) {
    let slots = Arc::new(Semaphore::new(MAX_CONNECTIONS));
    loop {
        let (stream, peer) = match listener.accept().await {
            Ok(accepted) => accepted,
            Err(error) => {
                tracing::warn!(%error, "metrics listener: accept failed");
                tokio::time::sleep(Duration::from_millis(100)).await;
                continue;
            }
        };
        let Ok(slot) = Arc::clone(&slots).try_acquire_owned() else {
            tracing::debug!(%peer, "metrics listener busy; connection closed");
            continue;
        };
        let render = Arc::clone(&render);
        tokio::spawn(async move {
            if let Err(error) = answer(stream, &render).await {
                tracing::debug!(%peer, %error, "metrics request failed");
            }
            drop(slot);
        });
    }
}

async fn answer(mut stream: TcpStream, render: &Render) -> std::io::Result<()> {
    let head = match tokio::time::timeout(READ_TIMEOUT, read_head(&mut stream)).await {
        Ok(head) => head?,
        Err(_) => return Ok(()),
    };
    let response = match request_line(&head) {
        Some(("GET", "/metrics")) => match render() {
            Some(body) => response("200 OK", TEXT_CONTENT_TYPE, &body),
            None => response("500 Internal Server Error", "text/plain; charset=utf-8", "cannot render metrics\n"),
        },
        Some((_, "/metrics")) => response("405 Method Not Allowed", "text/plain; charset=utf-8", "only GET\n"),
        Some(_) => response("404 Not Found", "text/plain; charset=utf-8", "only /metrics\n"),
        None => response("400 Bad Request", "text/plain; charset=utf-8", "bad request\n"),
    };
    match tokio::time::timeout(WRITE_TIMEOUT, stream.write_all(response.as_bytes())).await {
        Ok(written) => written?,
        Err(_) => return Ok(()),
    }
    stream.shutdown().await
}

/// Reads until the blank line that ends the head, the size bound or the end of the stream.
async fn read_head(stream: &mut TcpStream) -> std::io::Result<Vec<u8>> {
    let mut head = Vec::with_capacity(512);
    let mut chunk = [0_u8; 512];
    while head.len() < MAX_HEAD && !head.windows(4).any(|w| w == b"\r\n\r\n") {
        let read = stream.read(&mut chunk).await?;
        if read == 0 {
            break;
        }
        head.extend_from_slice(chunk.get(..read).unwrap_or_default());
    }
    Ok(head)
}

/// The method and the path (query dropped) of an HTTP/1.x request line; `None` for anything
/// else.
fn request_line(head: &[u8]) -> Option<(&str, &str)> {
    let end = head.windows(2).position(|w| w == b"\r\n")?;
    let line = std::str::from_utf8(head.get(..end)?).ok()?;
    let mut parts = line.split(' ');
    let (method, target, version) = (parts.next()?, parts.next()?, parts.next()?);
    if parts.next().is_some() || !version.starts_with("HTTP/1.") || method.is_empty() {
        return None;
    }
    let path = target.split_once('?').map_or(target, |(path, _)| path);
    Some((method, path))
}

fn response(status: &str, content_type: &str, body: &str) -> String {
    format!(
        "HTTP/1.1 {status}\r\nContent-Type: {content_type}\r\nContent-Length: {}\r\nCache-Control: no-store\r\nConnection: close\r\n\r\n{body}",
        body.len()
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_an_http_1_request_line_is_read() {
        assert_eq!(request_line(b"GET /metrics HTTP/1.1\r\nHost: x\r\n\r\n"), Some(("GET", "/metrics")));
        assert_eq!(request_line(b"GET /metrics?name[]=x HTTP/1.0\r\n\r\n"), Some(("GET", "/metrics")));
        assert_eq!(request_line(b"POST / HTTP/1.1\r\n\r\n"), Some(("POST", "/")));
        assert_eq!(request_line(b"GET /metrics\r\n\r\n"), None);
        assert_eq!(request_line(b"GET /metrics HTTP/2\r\n\r\n"), None);
        assert_eq!(request_line(b"GET  /metrics HTTP/1.1\r\n\r\n"), None);
        assert_eq!(request_line(b"GET /metrics HTTP/1.1"), None);
    }
}
