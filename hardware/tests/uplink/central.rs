//! A stand-in for the central service's bridge API, written on plain tokio so the tests
//! control every answer: it serves `/api/bridge/v1/{snapshot,commands,events}` exactly as the
//! contract in `hardware/README.md` says (bearer token, long-polls, `304`, idempotent events),
//! records what it got, and can be stopped (connections dropped, port closed), restarted on
//! the same port, or told to answer the snapshot call with 503.

use std::collections::{BTreeSet, VecDeque};
use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use regiohub_hardware::protocol::{
    AccessEvent, AccessSnapshot, EventReceipt, EventUpload, RemoteUnlock, RemoteUnlockBatch,
};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::watch;
use tokio::task::{JoinHandle, JoinSet};

pub const TOKEN: &str = "bridge-token-for-tests";

/// What the fake central service holds and has received.
#[derive(Default)]
pub struct Books {
    pub snapshot: Option<AccessSnapshot>,
    pub commands: VecDeque<RemoteUnlock>,
    /// Every event accepted, in the order received; each id once.
    pub events: Vec<AccessEvent>,
    pub ids: BTreeSet<String>,
    pub duplicates: usize,
    pub uploads: usize,
    pub unauthorized: usize,
    pub snapshot_failing: bool,
    posts_in_flight: usize,
}

/// The fake central service. Dropping it stops it.
pub struct Central {
    pub addr: SocketAddr,
    books: Arc<Mutex<Books>>,
    /// Bumped on every change, so waiting long-polls look again.
    changed: watch::Sender<u64>,
    server: Option<JoinHandle<()>>,
}

impl Central {
    /// Serves on a free loopback port.
    pub async fn start() -> Self {
        Self::start_on("127.0.0.1:0".parse().unwrap()).await
    }

    async fn start_on(addr: SocketAddr) -> Self {
        let (changed, _) = watch::channel(0);
        let mut central = Self { addr, books: Arc::default(), changed, server: None };
        central.listen(addr).await;
        central
    }

    async fn listen(&mut self, addr: SocketAddr) {
        let listener = TcpListener::bind(addr).await.unwrap();
        self.addr = listener.local_addr().unwrap();
        let books = self.books.clone();
        let changed = self.changed.clone();
        self.server = Some(tokio::spawn(async move {
            // Connection tasks live in this set: aborting the server drops them all.
            let mut connections = JoinSet::new();
            loop {
                let Ok((stream, _)) = listener.accept().await else { continue };
                while connections.try_join_next().is_some() {}
                connections.spawn(serve(stream, books.clone(), changed.subscribe()));
            }
        }));
    }

    /// The base URL for `bridge.central_url`.
    pub fn url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// Stops answering: the port is closed and open connections are cut, once every upload
    /// already received has been answered.
    pub async fn stop(&mut self) {
        if let Some(server) = self.server.take() {
            server.abort();
            let _ = server.await;
        }
        eventually_true(|| self.books.lock().unwrap().posts_in_flight == 0).await;
    }

    /// Serves again on the same port, with everything received so far.
    pub async fn resume(&mut self) {
        assert!(self.server.is_none(), "already running");
        let addr = self.addr;
        self.listen(addr).await;
    }

    pub fn set_snapshot(&self, snapshot: AccessSnapshot) {
        self.books.lock().unwrap().snapshot = Some(snapshot);
        self.changed.send_modify(|n| *n += 1);
    }

    pub fn push_command(&self, command: RemoteUnlock) {
        self.books.lock().unwrap().commands.push_back(command);
        self.changed.send_modify(|n| *n += 1);
    }

    /// Answer the snapshot call with 503 (the rest keeps working).
    pub fn set_snapshot_failing(&self, failing: bool) {
        self.books.lock().unwrap().snapshot_failing = failing;
        self.changed.send_modify(|n| *n += 1);
    }

    pub fn books<T>(&self, read: impl FnOnce(&Books) -> T) -> T {
        read(&self.books.lock().unwrap())
    }

    pub fn events(&self) -> Vec<AccessEvent> {
        self.books(|books| books.events.clone())
    }
}

impl Drop for Central {
    fn drop(&mut self) {
        if let Some(server) = self.server.take() {
            server.abort();
        }
    }
}

struct Request {
    method: String,
    path: String,
    query: Vec<(String, String)>,
    authorization: Option<String>,
    body: Vec<u8>,
}

impl Request {
    fn query(&self, name: &str) -> Option<&str> {
        self.query.iter().find(|(key, _)| key == name).map(|(_, value)| value.as_str())
    }
}

async fn serve(mut stream: TcpStream, books: Arc<Mutex<Books>>, changed: watch::Receiver<u64>) {
    let Some(request) = read_request(&mut stream).await else { return };
    if request.method == "POST" {
        // An upload the books recorded is always answered, even if the server is stopped
        // meanwhile: otherwise a stop could turn into a resend the test did not cause.
        books.lock().unwrap().posts_in_flight += 1;
        let books_done = books.clone();
        let finished = tokio::spawn(async move {
            respond(&mut stream, &request, &books, changed).await;
        });
        let _ = finished.await;
        books_done.lock().unwrap().posts_in_flight -= 1;
        return;
    }
    respond(&mut stream, &request, &books, changed).await;
}

async fn respond(stream: &mut TcpStream, request: &Request, books: &Mutex<Books>, changed: watch::Receiver<u64>) {
    let (status, body, etag) = answer(request, books, changed).await;
    let reason = match status {
        200 => "OK",
        304 => "Not Modified",
        401 => "Unauthorized",
        400 => "Bad Request",
        404 => "Not Found",
        _ => "Service Unavailable",
    };
    let mut head = format!("HTTP/1.1 {status} {reason}\r\nConnection: close\r\nContent-Length: {}\r\n", body.len());
    if !body.is_empty() {
        head.push_str("Content-Type: application/json\r\n");
    }
    if let Some(etag) = etag {
        head.push_str(&format!("ETag: \"{etag}\"\r\n"));
    }
    head.push_str("\r\n");
    let _ = stream.write_all(head.as_bytes()).await;
    let _ = stream.write_all(&body).await;
    let _ = stream.shutdown().await;
}

async fn read_request(stream: &mut TcpStream) -> Option<Request> {
    let mut buffer = Vec::new();
    let head_end = loop {
        if let Some(end) = buffer.windows(4).position(|w| w == b"\r\n\r\n") {
            break end;
        }
        let mut chunk = [0u8; 4096];
        let n = stream.read(&mut chunk).await.ok()?;
        if n == 0 || buffer.len() > 64 * 1024 {
            return None;
        }
        buffer.extend_from_slice(&chunk[..n]);
    };
    let head = String::from_utf8(buffer[..head_end].to_vec()).ok()?;
    let mut lines = head.split("\r\n");
    let mut first = lines.next()?.split(' ');
    let method = first.next()?.to_owned();
    let target = first.next()?.to_owned();
    let mut content_length = 0;
    let mut authorization = None;
    for line in lines {
        let (name, value) = line.split_once(':')?;
        match name.trim().to_ascii_lowercase().as_str() {
            "content-length" => content_length = value.trim().parse().ok()?,
            "authorization" => authorization = Some(value.trim().to_owned()),
            _ => {}
        }
    }
    let mut body = buffer[head_end + 4..].to_vec();
    while body.len() < content_length {
        let mut chunk = [0u8; 65536];
        let n = stream.read(&mut chunk).await.ok()?;
        if n == 0 {
            return None;
        }
        body.extend_from_slice(&chunk[..n]);
    }
    let (path, query) = target.split_once('?').unwrap_or((&target, ""));
    let query = query
        .split('&')
        .filter_map(|pair| pair.split_once('='))
        .map(|(key, value)| (key.to_owned(), value.to_owned()))
        .collect();
    Some(Request { method, path: path.to_owned(), query, authorization, body })
}

/// Status, body and ETag for one request.
async fn answer(
    request: &Request,
    books: &Mutex<Books>,
    mut changed: watch::Receiver<u64>,
) -> (u16, Vec<u8>, Option<u64>) {
    if request.authorization.as_deref() != Some(&format!("Bearer {TOKEN}")) {
        books.lock().unwrap().unauthorized += 1;
        return (401, Vec::new(), None);
    }
    let wait = request.query("wait").and_then(|w| w.parse::<u64>().ok()).unwrap_or(0).min(30);
    let until = tokio::time::Instant::now() + Duration::from_secs(wait);
    match (request.method.as_str(), request.path.as_str()) {
        ("GET", "/api/bridge/v1/snapshot") => {
            let after = request.query("after").and_then(|a| a.parse::<u64>().ok());
            loop {
                changed.borrow_and_update();
                {
                    let books = books.lock().unwrap();
                    if books.snapshot_failing {
                        return (503, Vec::new(), None);
                    }
                    if let Some(snapshot) = &books.snapshot
                        && Some(snapshot.version) != after
                    {
                        return (200, serde_json::to_vec(snapshot).unwrap(), Some(snapshot.version));
                    }
                }
                if tokio::time::timeout_at(until, changed.changed()).await.is_err() {
                    return (304, Vec::new(), None);
                }
            }
        }
        ("GET", "/api/bridge/v1/commands") => loop {
            changed.borrow_and_update();
            {
                let mut books = books.lock().unwrap();
                if !books.commands.is_empty() {
                    let commands = books.commands.drain(..).collect();
                    return (200, serde_json::to_vec(&RemoteUnlockBatch { commands }).unwrap(), None);
                }
            }
            if tokio::time::timeout_at(until, changed.changed()).await.is_err() {
                return (200, serde_json::to_vec(&RemoteUnlockBatch::default()).unwrap(), None);
            }
        },
        ("POST", "/api/bridge/v1/events") => {
            let Ok(upload) = serde_json::from_slice::<EventUpload>(&request.body) else {
                return (400, Vec::new(), None);
            };
            let mut books = books.lock().unwrap();
            books.uploads += 1;
            let mut receipt = EventReceipt::default();
            for event in upload.events {
                if books.ids.insert(event.id.clone()) {
                    books.events.push(event);
                    receipt.accepted += 1;
                } else {
                    books.duplicates += 1;
                    receipt.duplicates += 1;
                }
            }
            (200, serde_json::to_vec(&receipt).unwrap(), None)
        }
        _ => (404, Vec::new(), None),
    }
}

async fn eventually_true(check: impl Fn() -> bool) {
    let waited = tokio::time::timeout(Duration::from_secs(30), async {
        while !check() {
            tokio::time::sleep(Duration::from_millis(10)).await;
        }
    })
    .await;
    assert!(waited.is_ok(), "uploads in flight did not finish");
}
