//! Field readings into the bridge state: each door's contact, exit button and field I/O
//! health as the field client publishes them, and occupancy per door worked out from the
//! presence sensors of the spaces the door leads to (the door layout comes from the
//! snapshot). Each change of a space's reading is also recorded as a `presence` event for the
//! central service. The field client and the state know nothing of each other; this is the glue.

use std::collections::BTreeMap;
use std::sync::Arc;

use tokio::sync::{mpsc, watch};
use tokio::task::JoinSet;

use crate::bridge::{DoorInputs as SupervisedInputs, Presence as DoorPresence, SharedBridgeState};
use crate::config::BridgeConfig;
use crate::field::{ContactState, DoorInputs as FieldInputs, FieldHandle, Presence as SpacePresence};
use crate::protocol::{AccessEventKind, AccessSnapshot, DoorId, PresenceState, SnapshotDoor, SpaceId};

/// Starts one task per door that has field devices, feeding its inputs into `state`.
pub(super) fn spawn_door_feeds(
    config: &BridgeConfig,
    field: &FieldHandle,
    state: &SharedBridgeState,
    tasks: &mut JoinSet<()>,
) {
    for door in &config.doors {
        let uses_field = door.lock.is_some() || door.contact.is_some() || door.exit_button.is_some();
        let Some(inputs) = field.door_inputs(&door.id).filter(|_| uses_field) else {
            continue;
        };
        tasks.spawn(feed_door(DoorId::new(door.id.clone()), inputs, state.clone()));
    }
}

async fn feed_door(door: DoorId, mut inputs: watch::Receiver<FieldInputs>, state: SharedBridgeState) {
    let mut healthy = None;
    loop {
        let now = *inputs.borrow_and_update();
        if healthy != Some(now.healthy) {
            healthy = Some(now.healthy);
            report(&door, state.set_field_io_healthy(&door, now.healthy));
        }
        report(&door, state.feed_door_inputs(&door, supervised(now)));
        if inputs.changed().await.is_err() {
            return;
        }
    }
}

/// The field client's reading in the form supervision takes; `None` while the contact is
/// unknown, so no held-open or forced-open alarm is raised on a guess.
fn supervised(inputs: FieldInputs) -> Option<SupervisedInputs> {
    let closed = match inputs.contact {
        ContactState::Closed => true,
        ContactState::Open => false,
        ContactState::Unknown | ContactState::NotFitted => return None,
    };
    Some(SupervisedInputs { closed, request_to_exit: inputs.exit_request })
}

fn report(door: &DoorId, result: Result<(), crate::bridge::UnknownDoorError>) {
    if let Err(error) = result {
        tracing::error!(door.id = %door, %error, "field input for a door the server does not know");
    }
}

/// Starts the presence feed: register 12 of every door, recomputed whenever a sensor or the
/// snapshot's door layout changes.
pub(super) fn spawn_presence_feed(
    config: &BridgeConfig,
    field: &FieldHandle,
    state: &SharedBridgeState,
    layout: watch::Receiver<Option<Arc<AccessSnapshot>>>,
    tasks: &mut JoinSet<()>,
) {
    let (changed, notices) = mpsc::channel(1);
    let mut sensors = BTreeMap::new();
    for sensor in &config.presence {
        let Some(readings) = field.presence(&sensor.space) else {
            continue;
        };
        sensors.insert(sensor.space.clone(), readings.clone());
        tasks.spawn(forward_changes(readings, changed.clone()));
    }
    let doors = config.doors.iter().map(|door| DoorId::new(door.id.clone())).collect();
    tasks.spawn(feed_presence(doors, sensors, layout, (changed, notices), state.clone()));
}

/// Turns changes of one sensor into a wake-up of the presence task.
async fn forward_changes(mut readings: watch::Receiver<SpacePresence>, changed: mpsc::Sender<()>) {
    while readings.changed().await.is_ok() {
        // A wake-up already queued covers this change too.
        let _ = changed.try_send(());
    }
}

async fn feed_presence(
    doors: Vec<DoorId>,
    sensors: BTreeMap<String, watch::Receiver<SpacePresence>>,
    mut layout: watch::Receiver<Option<Arc<AccessSnapshot>>>,
    // The sender is held here too, so `recv` waits (rather than ends) when there are no sensors.
    (_changed, mut notices): (mpsc::Sender<()>, mpsc::Receiver<()>),
    state: SharedBridgeState,
) {
    let mut shown: BTreeMap<DoorId, DoorPresence> = BTreeMap::new();
    let mut reported: BTreeMap<String, SpacePresence> = BTreeMap::new();
    loop {
        let snapshot = layout.borrow_and_update().clone();
        let readings: BTreeMap<&str, SpacePresence> =
            sensors.iter().map(|(space, readings)| (space.as_str(), *readings.borrow())).collect();
        for (space, presence) in &readings {
            let before = reported.insert((*space).to_owned(), *presence).unwrap_or(SpacePresence::Unknown);
            if before != *presence
                && let Some(door) = door_for_space(snapshot.as_deref(), &doors, space)
            {
                let kind = AccessEventKind::Presence { space_id: SpaceId::new(*space), presence: state_of(*presence) };
                state.record_event(&door, kind, None);
            }
        }
        for door in &doors {
            let presence = snapshot
                .as_deref()
                .and_then(|s| s.door(door))
                .map_or(DoorPresence::Unknown, |layout| door_presence(layout, &readings));
            if shown.get(door) != Some(&presence) {
                shown.insert(door.clone(), presence);
                report(door, state.set_presence(door, presence));
            }
        }
        tokio::select! {
            changed = layout.changed() => if changed.is_err() { return },
            _ = notices.recv() => {}
        }
    }
}

/// The door a presence event names: a room door leading to the space, else an entrance, else
/// the first configured door (the event's `space_id` is what counts).
fn door_for_space(snapshot: Option<&AccessSnapshot>, configured: &[DoorId], space: &str) -> Option<DoorId> {
    let from_layout = snapshot.and_then(|snapshot| {
        let room =
            snapshot.doors.iter().find(|door| !door.entrance && door.space_ids.iter().any(|s| s.as_str() == space));
        room.or_else(|| snapshot.doors.iter().find(|door| door.entrance)).map(|door| door.id.clone())
    });
    from_layout.or_else(|| configured.first().cloned())
}

fn state_of(presence: SpacePresence) -> PresenceState {
    match presence {
        SpacePresence::Present => PresenceState::Present,
        SpacePresence::Empty => PresenceState::Empty,
        SpacePresence::Unknown => PresenceState::Unknown,
    }
}

/// A door's occupancy: present if any space behind it is; empty only if every space behind
/// it has a sensor reading empty; otherwise unknown. An entrance leads to the whole hub, so
/// every sensed space counts.
fn door_presence(door: &SnapshotDoor, readings: &BTreeMap<&str, SpacePresence>) -> DoorPresence {
    let spaces: Vec<Option<SpacePresence>> = if door.entrance {
        readings.values().copied().map(Some).collect()
    } else {
        door.space_ids.iter().map(|space| readings.get(space.as_str()).copied()).collect()
    };
    if spaces.contains(&Some(SpacePresence::Present)) {
        DoorPresence::Present
    } else if !spaces.is_empty() && spaces.iter().all(|space| *space == Some(SpacePresence::Empty)) {
        DoorPresence::Empty
    } else {
        DoorPresence::Unknown
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]
    use super::*;

    fn door(entrance: bool, spaces: &[&str]) -> SnapshotDoor {
        SnapshotDoor {
            disabled: false,
            id: DoorId::new("d"),
            entrance,
            space_ids: spaces.iter().map(|s| SpaceId::new(*s)).collect(),
        }
    }

    #[test]
    fn a_room_door_follows_the_sensors_of_its_spaces() {
        use SpacePresence::{Empty, Present, Unknown};
        let readings = BTreeMap::from([("a", Empty), ("b", Present), ("c", Unknown)]);
        assert_eq!(door_presence(&door(false, &["a"]), &readings), DoorPresence::Empty);
        assert_eq!(door_presence(&door(false, &["a", "b"]), &readings), DoorPresence::Present);
        assert_eq!(door_presence(&door(false, &["a", "c"]), &readings), DoorPresence::Unknown);
        assert_eq!(door_presence(&door(false, &["a", "unsensed"]), &readings), DoorPresence::Unknown);
        assert_eq!(door_presence(&door(false, &[]), &readings), DoorPresence::Unknown);
    }

    #[test]
    fn a_presence_event_names_the_room_door_else_the_entrance_else_the_first_door() {
        let snapshot = AccessSnapshot {
            lockdown: false,
            hub_id: crate::protocol::HubId::new("h"),
            version: 1,
            generated_at: chrono::Utc::now(),
            grace_period_s: 0,
            doors: vec![
                SnapshotDoor { disabled: false, id: DoorId::new("entrance"), entrance: true, space_ids: vec![] },
                SnapshotDoor {
                    disabled: false,
                    id: DoorId::new("room-door"),
                    entrance: false,
                    space_ids: vec![SpaceId::new("room")],
                },
            ],
            grants: vec![],
        };
        let configured = [DoorId::new("first")];
        assert_eq!(door_for_space(Some(&snapshot), &configured, "room"), Some(DoorId::new("room-door")));
        assert_eq!(door_for_space(Some(&snapshot), &configured, "lobby"), Some(DoorId::new("entrance")));
        assert_eq!(door_for_space(None, &configured, "room"), Some(DoorId::new("first")));
        assert_eq!(door_for_space(None, &[], "room"), None);
    }

    #[test]
    fn an_entrance_counts_every_sensed_space() {
        use SpacePresence::{Empty, Present};
        let empty = BTreeMap::from([("a", Empty), ("b", Empty)]);
        assert_eq!(door_presence(&door(true, &[]), &empty), DoorPresence::Empty);
        let someone = BTreeMap::from([("a", Empty), ("b", Present)]);
        assert_eq!(door_presence(&door(true, &[]), &someone), DoorPresence::Present);
        assert_eq!(door_presence(&door(true, &[]), &BTreeMap::new()), DoorPresence::Unknown);
    }

    #[test]
    fn an_unknown_contact_is_not_a_reading() {
        let inputs = |contact| FieldInputs {
            contact,
            exit_request: true,
            lock_output: crate::field::LockOutput::Off,
            healthy: true,
        };
        assert_eq!(supervised(inputs(ContactState::Unknown)), None);
        assert_eq!(supervised(inputs(ContactState::NotFitted)), None);
        assert_eq!(
            supervised(inputs(ContactState::Open)),
            Some(SupervisedInputs { closed: false, request_to_exit: true })
        );
    }
}
