//! Announcing committed changes to the other service instances on the same PostgreSQL database:
//! a hub's door access changed (its bridges fetch a new snapshot or commands), a hub's live
//! dashboard has news. The instance that made the change wakes its own waiters directly
//! (`AppState::db`) and sends a `NOTIFY` for the others; every instance runs one
//! [`Listener`] that turns the others' notifications into the same wake-ups. A lost
//! notification (a listener reconnecting) costs a waiting bridge no more than its safety
//! re-check (`web::bridge_api`). SQLite runs one instance and needs none of this.

use std::fmt;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use rand::RngCore;

use crate::db::notifications::{self, ListeningConnection};
use crate::db::{DbConn, DbError};
use crate::domain::ids::HubId;
use crate::service::bridge_link::HubSignals;
use crate::service::unit_of_work::Effects;

/// How often the listener looks for arrived notifications: the delay another instance's
/// change adds before this instance's bridges and dashboards hear of it.
const LOOK_EVERY: Duration = Duration::from_millis(50);
/// How often the listener asks the server something, to notice a silently dead connection.
const PING_EVERY: Duration = Duration::from_secs(15);
/// How long the listener waits before connecting again after failing to; doubled after each
/// failure up to [`RECONNECT_AT_MOST`].
const RECONNECT_AFTER: Duration = Duration::from_secs(1);
const RECONNECT_AT_MOST: Duration = Duration::from_secs(30);

/// This process among the instances on one database: its own notifications come back to it
/// and are skipped (it woke its waiters already).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InstanceId(String);

impl InstanceId {
    /// A new random id for this process.
    pub fn random() -> InstanceId {
        let mut bytes = [0u8; 8];
        rand::rng().fill_bytes(&mut bytes);
        InstanceId(hex::encode(bytes))
    }
}

impl fmt::Display for InstanceId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// One announced change.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Announcement {
    /// Door access changed at the hub (every hub for `None`).
    AccessChanged(Option<HubId>),
    /// The hub's live dashboard has news.
    DashboardChanged(HubId),
}

impl Announcement {
    /// The announcements a committed unit of work's effects make to other instances. A queued
    /// mail is not among them: the instance that queued it sends it (every instance's mail job
    /// also looks on its own every half minute).
    pub fn of_effects(effects: &Effects) -> Vec<Announcement> {
        let access = effects.access_changed().map(|hub| Announcement::AccessChanged(hub.cloned()));
        let dashboards = effects.dashboards_changed().map(|hub| Announcement::DashboardChanged(hub.clone()));
        access.chain(dashboards).collect()
    }

    /// `<instance>;access;<hub id or *>` or `<instance>;dashboard;<hub id>`.
    fn payload(&self, from: &InstanceId) -> String {
        match self {
            Announcement::AccessChanged(Some(hub)) => format!("{from};access;{hub}"),
            Announcement::AccessChanged(None) => format!("{from};access;*"),
            Announcement::DashboardChanged(hub) => format!("{from};dashboard;{hub}"),
        }
    }

    /// The announcement in a payload and the instance that sent it; `None` for a payload this
    /// version does not know (a newer instance's), which is ignored.
    fn parse(payload: &str) -> Option<(InstanceId, Announcement)> {
        let mut parts = payload.splitn(3, ';');
        let from = InstanceId(parts.next()?.to_owned());
        let announcement = match (parts.next()?, parts.next()?) {
            ("access", "*") => Announcement::AccessChanged(None),
            ("access", hub) if !hub.is_empty() => Announcement::AccessChanged(Some(HubId::new(hub))),
            ("dashboard", hub) if !hub.is_empty() => Announcement::DashboardChanged(HubId::new(hub)),
            _ => return None,
        };
        Some((from, announcement))
    }

    /// Wakes who waits for this change in this instance.
    fn wake(&self, access: &HubSignals, dashboards: &HubSignals) {
        match self {
            Announcement::AccessChanged(hub) => access.notify(hub.as_ref()),
            Announcement::DashboardChanged(hub) => dashboards.notify(Some(hub)),
        }
    }
}

/// Sends the effects' announcements to the other instances (PostgreSQL; nothing on SQLite).
///
/// # Errors
/// On a database failure; the change itself is committed already.
pub fn send(conn: &mut DbConn, from: &InstanceId, effects: &Effects) -> Result<(), DbError> {
    if !matches!(conn, DbConn::Postgres(_)) {
        return Ok(());
    }
    let payloads: Vec<String> = Announcement::of_effects(effects).iter().map(|a| a.payload(from)).collect();
    notifications::notify(conn, &payloads)
}

/// Listens for the other instances' announcements on a thread of its own and wakes this
/// instance's waiters. Stops when dropped.
pub struct Listener {
    stop: Arc<AtomicBool>,
    thread: Option<JoinHandle<()>>,
}

impl Listener {
    /// Starts listening on the PostgreSQL database at `url` as instance `me`.
    ///
    /// # Errors
    /// When the thread cannot be started.
    pub fn start(url: String, me: InstanceId, access: HubSignals, dashboards: HubSignals) -> std::io::Result<Listener> {
        let stop = Arc::new(AtomicBool::new(false));
        let stopped = stop.clone();
        let thread = std::thread::Builder::new()
            .name("regiohub-listen".to_owned())
            .spawn(move || listen(&url, &me, &access, &dashboards, &stopped))?;
        Ok(Listener { stop, thread: Some(thread) })
    }

    /// Stops listening and waits for the thread to end: at most one look's time, or until a
    /// connection attempt or ping under way gives up (libpq's timeouts, `db::notifications`).
    pub fn stop(mut self) {
        self.stop.store(true, Ordering::Relaxed);
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

impl Drop for Listener {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::Relaxed);
    }
}

/// The listener's loop: connect, look every [`LOOK_EVERY`], ping every [`PING_EVERY`], and
/// after a lost connection connect again and wake every waiter (what was announced meanwhile
/// is unknown, so everyone looks once).
fn listen(url: &str, me: &InstanceId, access: &HubSignals, dashboards: &HubSignals, stop: &AtomicBool) {
    let mut connection: Option<ListeningConnection> = None;
    let mut pinged = Instant::now();
    let mut reconnect_after = RECONNECT_AFTER;
    while !stop.load(Ordering::Relaxed) {
        let Some(listening) = connection.as_mut() else {
            match ListeningConnection::open(url) {
                Ok(opened) => {
                    tracing::info!("listening for other instances' announcements");
                    connection = Some(opened);
                    pinged = Instant::now();
                    reconnect_after = RECONNECT_AFTER;
                    access.notify(None);
                    dashboards.notify(None);
                }
                Err(error) => {
                    tracing::warn!(%error, "cannot listen for other instances' announcements; trying again");
                    pause(reconnect_after, stop);
                    reconnect_after = (reconnect_after * 2).min(RECONNECT_AT_MOST);
                }
            }
            continue;
        };
        let looked = listening.arrived().and_then(|payloads| {
            if pinged.elapsed() >= PING_EVERY {
                pinged = Instant::now();
                listening.ping()?;
            }
            Ok(payloads)
        });
        match looked {
            Ok(payloads) => {
                for (from, announcement) in payloads.iter().filter_map(|payload| Announcement::parse(payload)) {
                    if &from != me {
                        announcement.wake(access, dashboards);
                    }
                }
                std::thread::sleep(LOOK_EVERY);
            }
            Err(error) => {
                tracing::warn!(%error, "lost the connection that listens for other instances' announcements");
                connection = None;
            }
        }
    }
}

/// Sleeps for `duration`, or less when told to stop.
fn pause(duration: Duration, stop: &AtomicBool) {
    let until = Instant::now() + duration;
    while !stop.load(Ordering::Relaxed) {
        let left = until.saturating_duration_since(Instant::now());
        if left.is_zero() {
            return;
        }
        std::thread::sleep(left.min(LOOK_EVERY));
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]
    use super::*;

    #[test]
    fn an_announcement_survives_its_payload_and_names_its_sender() {
        let me = InstanceId::random();
        for announcement in [
            Announcement::AccessChanged(Some(HubId::new("hub;with;semicolons"))),
            Announcement::AccessChanged(None),
            Announcement::DashboardChanged(HubId::new("hub-a")),
        ] {
            let (from, parsed) = Announcement::parse(&announcement.payload(&me)).unwrap();
            assert_eq!((from, parsed), (me.clone(), announcement));
        }
        assert_ne!(InstanceId::random(), me, "each process is its own instance");
    }

    #[test]
    fn an_unknown_payload_is_ignored() {
        for payload in ["", "abc", "abc;access", "abc;access;", "abc;unlock;hub-a", "abc;dashboard;"] {
            assert_eq!(Announcement::parse(payload), None, "{payload:?}");
        }
    }
}
