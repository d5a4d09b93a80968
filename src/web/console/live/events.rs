//! `GET /console/hubs/{hub}/events`: the dashboard as server-sent events. A task renders the
//! dashboard fragment when the hub's signals fire (access changes, bridge events, alarms) or a
//! few seconds pass (time alone turns a booking into a no-show risk), and sends it only when it
//! changed. The stream ends after a while so a dead or stalled client holds nothing for long;
//! `EventSource` reconnects by itself.

use std::convert::Infallible;
use std::pin::Pin;
use std::task::{Context, Poll};
use std::time::Duration;

use actix_web::body::{BodySize, MessageBody};
use actix_web::http::header;
use actix_web::web::Bytes;
use actix_web::{HttpRequest, HttpResponse, web};
use askama::Template;
use tokio::sync::mpsc;
use tokio::time::Instant;

use super::dashboard::{DashboardFragment, view};
use crate::domain::ids::{HubId, UserId};
use crate::service::ServiceError;
use crate::service::console::live::dashboard::{self as service, Dashboard};
use crate::state::AppState;
use crate::web::console::ConsoleUser;
use crate::web::layout::Layout;
use crate::web::pages::PageError;

/// Without a signal the dashboard is looked at again this often.
const TICK: Duration = Duration::from_secs(5);
/// A stream ends after this long; the browser reconnects and gets a fresh one.
const STREAM_FOR: Duration = Duration::from_secs(600);
/// After this many quiet ticks a comment line is sent, so a vanished client is noticed.
const KEEPALIVE_TICKS: u32 = 3;
/// How long the browser waits before reconnecting, in milliseconds.
const RETRY_MS: u32 = 3000;

/// `GET /console/hubs/{hub}/events`
pub async fn dashboard_events(
    req: HttpRequest,
    state: web::Data<AppState>,
    staff: ConsoleUser,
    path: web::Path<String>,
) -> Result<HttpResponse, PageError> {
    let scope = staff.scope.clone();
    let hub = path.into_inner();
    let now = state.clock.now();
    // Resolved before any stream starts: outside the scope this is a plain 404.
    let first = state.db(move |conn| service::dashboard(conn, &scope, &hub, now)).await?;
    let (sender, receiver) = mpsc::channel(4);
    let stream = DashboardStream {
        state: state.get_ref().clone(),
        user_id: staff.user_id().clone(),
        hub_id: first.hub.id.clone(),
        layout: staff.layout(&req),
        sender,
        give_up: Instant::now() + STREAM_FOR,
    };
    tokio::spawn(stream.run(first));
    Ok(HttpResponse::Ok()
        .insert_header((header::CONTENT_TYPE, "text/event-stream"))
        .insert_header((header::CACHE_CONTROL, "no-store"))
        // Proxies must pass events on at once instead of buffering them.
        .insert_header(("X-Accel-Buffering", "no"))
        .body(EventBody { receiver }))
}

/// The task feeding one client's stream.
struct DashboardStream {
    state: AppState,
    user_id: UserId,
    hub_id: HubId,
    layout: Layout,
    sender: mpsc::Sender<Bytes>,
    give_up: Instant,
}

impl DashboardStream {
    async fn run(self, first: Dashboard) {
        if !self.send(format!("retry: {RETRY_MS}\n\n")).await {
            return;
        }
        let access = self.state.hub_signals.of(&self.hub_id);
        let reports = self.state.dashboards.of(&self.hub_id);
        let mut next = Some(first);
        let mut last_sent = String::new();
        let mut quiet = 0;
        loop {
            // Registered before looking, so a change committed while we render is not missed.
            let access_changed = access.notified();
            let reported = reports.notified();
            tokio::pin!(access_changed, reported);
            access_changed.as_mut().enable();
            reported.as_mut().enable();
            let board = match next.take() {
                Some(board) => board,
                None => match self.load().await {
                    Ok(board) => board,
                    Err(ServiceError::NotFound) => return,
                    Err(error) => {
                        tracing::warn!(error = %error, hub.id = %self.hub_id, "live dashboard not refreshed");
                        return;
                    }
                },
            };
            let fragment = DashboardFragment { layout: self.layout.clone(), view: view(self.layout.lang, &board) };
            let html = match fragment.render() {
                Ok(html) => html,
                Err(error) => {
                    tracing::error!(error = %error, "live dashboard fragment failed");
                    return;
                }
            };
            let message = if html != last_sent {
                quiet = 0;
                Some(event("dashboard", &html))
            } else {
                quiet += 1;
                (quiet >= KEEPALIVE_TICKS).then(|| {
                    quiet = 0;
                    ": still here\n\n".to_owned()
                })
            };
            if let Some(message) = message
                && !self.send(message).await
            {
                return;
            }
            last_sent = html;
            let wake_at = (Instant::now() + TICK).min(self.give_up);
            let _ = tokio::time::timeout_at(wake_at, async {
                tokio::select! {
                    () = &mut access_changed => {}
                    () = &mut reported => {}
                }
            })
            .await;
            if Instant::now() >= self.give_up {
                return;
            }
        }
    }

    /// The dashboard now, with the viewer's scope read afresh.
    async fn load(&self) -> Result<Dashboard, ServiceError> {
        let (user_id, hub_id, now) = (self.user_id.clone(), self.hub_id.clone(), self.state.clock.now());
        self.state.db(move |conn| service::dashboard_for(conn, &user_id, hub_id.as_str(), now)).await
    }

    /// Hands a message to the client; false when it is gone or stalled past the stream's end.
    async fn send(&self, message: String) -> bool {
        matches!(tokio::time::timeout_at(self.give_up, self.sender.send(Bytes::from(message))).await, Ok(Ok(())))
    }
}

/// One event: its name and each line of `data` as a `data:` line.
fn event(name: &str, data: &str) -> String {
    let mut out = format!("event: {name}\n");
    for line in data.lines() {
        out.push_str("data: ");
        // A lone carriage return would end the line for the browser too early.
        out.push_str(&line.replace('\r', ""));
        out.push('\n');
    }
    out.push('\n');
    out
}

/// The response body: whatever the task sends, until it stops.
struct EventBody {
    receiver: mpsc::Receiver<Bytes>,
}

impl MessageBody for EventBody {
    type Error = Infallible;

    fn size(&self) -> BodySize {
        BodySize::Stream
    }

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Result<Bytes, Infallible>>> {
        self.receiver.poll_recv(cx).map(|message| message.map(Ok))
    }
}

#[cfg(test)]
mod tests {
    use super::event;

    #[test]
    fn every_line_of_the_data_is_a_data_line() {
        assert_eq!(event("dashboard", "<p>a</p>\n<p>b</p>\n"), "event: dashboard\ndata: <p>a</p>\ndata: <p>b</p>\n\n");
    }
}
