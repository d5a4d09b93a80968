//! A bridge on 127.0.0.1:0 with a manual clock, a snapshot holding one booking, and the
//! event and relay hooks connected to channels the tests read.

// Shared by two test binaries; each uses only part of it.
#![allow(dead_code)]

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use chrono::{DateTime, TimeZone, Utc};
use regiohub_hardware::bridge::registers::InputBlock;
use regiohub_hardware::bridge::{
    BridgeSettings, ControllerMode, DoorRuntimeConfig, DoorServer, ManualClock, SharedBridgeState, UnlockOrder,
};
use regiohub_hardware::protocol::{
    AccessEvent, AccessSnapshot, BookingId, BookingStatus, DoorId, HubId, SnapshotDoor, SnapshotGrant, SpaceId,
    pin_verifier,
};
use tokio::net::TcpListener;
use tokio::sync::{mpsc, oneshot};
use tokio::task::JoinHandle;
use tokio_modbus::Slave;
use tokio_modbus::client::{Context, tcp};

pub const HUB_KEY: &[u8] = b"test-hub-key";
/// The booking's PIN; the booking is for room A, 10:00–12:00, and the clock starts at 10:30.
pub const PIN: &str = "482916";
pub const WRONG_PIN: &str = "000000";
pub const BOOKING: &str = "booking-1";

pub const ENTRANCE: u8 = 1;
pub const ROOM_A: u8 = 2;
pub const ROOM_B: u8 = 3;

pub fn at(h: u32, m: u32, s: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2025, 3, 10, h, m, s).single().unwrap()
}

pub fn start_time() -> DateTime<Utc> {
    at(10, 30, 0)
}

pub fn door_id(unit: u8) -> DoorId {
    DoorId::new(match unit {
        ENTRANCE => "entrance",
        ROOM_A => "room-a",
        ROOM_B => "room-b",
        other => return DoorId::new(format!("door-{other}")),
    })
}

pub fn snapshot() -> AccessSnapshot {
    AccessSnapshot {
        lockdown: false,
        hub_id: HubId::new("polch"),
        version: 1,
        generated_at: at(9, 0, 0),
        grace_period_s: 300,
        doors: vec![
            SnapshotDoor { disabled: false, id: door_id(ENTRANCE), entrance: true, space_ids: vec![] },
            SnapshotDoor {
                disabled: false,
                id: door_id(ROOM_A),
                entrance: false,
                space_ids: vec![SpaceId::new("room-a")],
            },
            SnapshotDoor {
                disabled: false,
                id: door_id(ROOM_B),
                entrance: false,
                space_ids: vec![SpaceId::new("room-b")],
            },
        ],
        grants: vec![SnapshotGrant {
            booking_id: BookingId::new(BOOKING),
            space_id: SpaceId::new("room-a"),
            credential_verifier: pin_verifier(HUB_KEY, PIN),
            valid_from: at(10, 0, 0),
            valid_until: at(12, 0, 0),
            status: BookingStatus::Confirmed,
            user_active: true,
            revoked: false,
        }],
    }
}

pub fn settings() -> BridgeSettings {
    BridgeSettings { hub_key: HUB_KEY.to_vec(), tick: Duration::from_millis(20), ..BridgeSettings::default() }
}

pub fn standard_doors() -> Vec<DoorRuntimeConfig> {
    [ENTRANCE, ROOM_A, ROOM_B].into_iter().map(|unit| DoorRuntimeConfig::new(door_id(unit), unit)).collect()
}

pub struct Bridge {
    pub addr: SocketAddr,
    pub state: SharedBridgeState,
    pub clock: ManualClock,
    pub events: mpsc::UnboundedReceiver<AccessEvent>,
    pub orders: mpsc::Receiver<UnlockOrder>,
    shutdown: Option<oneshot::Sender<()>>,
    task: Option<JoinHandle<()>>,
}

/// Starts a bridge with the standard doors, the snapshot installed, the clock synced and the
/// central service reachable.
pub async fn start() -> Bridge {
    start_with(settings(), standard_doors(), true).await
}

pub async fn start_with(settings: BridgeSettings, doors: Vec<DoorRuntimeConfig>, with_snapshot: bool) -> Bridge {
    let clock = ManualClock::new(start_time());
    let state = SharedBridgeState::with_clock(settings, Arc::new(clock.clone()));
    let (event_tx, events) = mpsc::unbounded_channel();
    let (order_tx, orders) = mpsc::channel(16);
    state.set_event_sink(event_tx);
    state.set_unlock_orders(order_tx);
    state.set_clock_synced(true);
    state.set_central_reachable(true);
    if with_snapshot {
        assert!(state.set_snapshot(snapshot()));
    }
    let server = DoorServer::new(doors, state.clone()).expect("valid doors");
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let (shutdown_tx, shutdown_rx) = oneshot::channel::<()>();
    let task = tokio::spawn(server.serve(listener, async move {
        let _ = shutdown_rx.await;
    }));
    Bridge { addr, state, clock, events, orders, shutdown: Some(shutdown_tx), task: Some(task) }
}

impl Bridge {
    pub async fn client(&self, unit: u8) -> Context {
        tokio::time::timeout(Duration::from_secs(5), tcp::connect_slave(self.addr, Slave(unit)))
            .await
            .expect("connect in time")
            .expect("connect")
    }

    pub fn block(&self, unit: u8) -> InputBlock {
        self.state.input_block(&door_id(unit)).expect("door exists")
    }

    /// Every event emitted so far.
    pub fn drain_events(&mut self) -> Vec<AccessEvent> {
        let mut out = Vec::new();
        while let Ok(event) = self.events.try_recv() {
            out.push(event);
        }
        out
    }

    /// Waits (bounded) until the ticker has produced an event matching `wanted`.
    pub async fn wait_for_event(&mut self, wanted: impl Fn(&AccessEvent) -> bool) -> AccessEvent {
        let deadline = tokio::time::Instant::now() + Duration::from_secs(10);
        loop {
            match tokio::time::timeout_at(deadline, self.events.recv()).await {
                Ok(Some(event)) if wanted(&event) => return event,
                Ok(Some(_)) => continue,
                Ok(None) => panic!("event channel closed"),
                Err(_) => panic!("no matching event within 10 s"),
            }
        }
    }

    /// Waits (bounded) until the door's input block satisfies `wanted`, letting the ticker run.
    pub async fn wait_for_block(&self, unit: u8, wanted: impl Fn(&InputBlock) -> bool) -> InputBlock {
        let deadline = tokio::time::Instant::now() + Duration::from_secs(10);
        loop {
            let block = self.block(unit);
            if wanted(&block) {
                return block;
            }
            assert!(tokio::time::Instant::now() < deadline, "input block never reached the wanted state: {block:?}");
            tokio::time::sleep(Duration::from_millis(10)).await;
        }
    }

    /// Advances the manual clock and waits until the ticker has seen the new time.
    pub async fn advance(&self, by: Duration) {
        let unit = self.any_unit();
        let before = self.block(unit).bridge_heartbeat;
        self.clock.advance(by);
        if by >= Duration::from_secs(1) {
            self.wait_for_block(unit, |b| b.bridge_heartbeat != before).await;
        }
        // One more tick so that every door's timers have run on the new time.
        tokio::time::sleep(Duration::from_millis(60)).await;
    }

    fn any_unit(&self) -> u8 {
        [ENTRANCE, ROOM_A, ROOM_B, 4, 5, 6]
            .into_iter()
            .find(|unit| self.state.input_block(&door_id(*unit)).is_some())
            .unwrap_or(ENTRANCE)
    }

    pub async fn stop(mut self) {
        if let Some(tx) = self.shutdown.take() {
            let _ = tx.send(());
        }
        if let Some(task) = self.task.take() {
            tokio::time::timeout(Duration::from_secs(5), task)
                .await
                .expect("server stops in time")
                .expect("server task ends cleanly");
        }
    }
}

pub fn simple_door(unit: u8) -> DoorRuntimeConfig {
    DoorRuntimeConfig { controller: ControllerMode::Simple, ..DoorRuntimeConfig::new(door_id(unit), unit) }
}
