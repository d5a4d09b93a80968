//! Check-in and the no-show rule: how a space can check a member in (door, presence sensor, or
//! the member themselves), when a booking nobody checked in to may be released (never in a
//! lockdown, never once it has ended), and when a member may check in by hand. Pure rules taking
//! `now`; which devices a hub has and what is stored is read elsewhere (`service::check_in`).

use chrono::{DateTime, Duration, Utc};

use super::slot::Slot;
use super::vocabulary::BookingStatus;

/// One way a space can learn that its booker came.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum CheckInMode {
    /// A granted entry at a bridge-attached door leading to the space (or the entrance).
    Door,
    /// Presence reported by a bridge-attached sensor watching the space.
    Presence,
    /// The member says so: a button on the booking page, the API or the space's QR code.
    Manual,
}

impl CheckInMode {
    /// Every mode, in the order forms and stored lists use.
    pub const ALL: [CheckInMode; 3] = [CheckInMode::Door, CheckInMode::Presence, CheckInMode::Manual];

    /// The stored and submitted name.
    pub fn as_str(self) -> &'static str {
        match self {
            CheckInMode::Door => "door",
            CheckInMode::Presence => "presence",
            CheckInMode::Manual => "manual",
        }
    }

    /// The mode with this name, if any.
    pub fn parse(name: &str) -> Option<CheckInMode> {
        CheckInMode::ALL.into_iter().find(|mode| mode.as_str() == name)
    }

    fn bit(self) -> u8 {
        match self {
            CheckInMode::Door => 1,
            CheckInMode::Presence => 2,
            CheckInMode::Manual => 4,
        }
    }
}

/// A stored list of check-in modes holds a name that is not one.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("spaces.check_in_modes: {0:?} is not a check-in mode (door, presence, manual)")]
pub struct UnknownCheckInMode(pub String);

/// The modes a space is set up for; empty means it cannot check anyone in, so its bookings are
/// never released as no-shows.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct CheckInModes(u8);

impl CheckInModes {
    /// No check-in at all.
    pub const NONE: CheckInModes = CheckInModes(0);

    /// Reads the stored comma-separated list (`door,presence,manual`, any subset, empty for
    /// none). An unknown name is an error: a typo must not quietly turn the no-show rule on or off.
    ///
    /// # Errors
    /// [`UnknownCheckInMode`] naming the first word that is not a mode.
    pub fn parse(stored: &str) -> Result<CheckInModes, UnknownCheckInMode> {
        let mut modes = CheckInModes::NONE;
        for word in stored.split(',').map(str::trim).filter(|w| !w.is_empty()) {
            let mode = CheckInMode::parse(word).ok_or_else(|| UnknownCheckInMode(word.to_owned()))?;
            modes = modes.with(mode);
        }
        Ok(modes)
    }

    /// The set holding exactly these modes.
    pub fn of(modes: impl IntoIterator<Item = CheckInMode>) -> CheckInModes {
        modes.into_iter().fold(CheckInModes::NONE, CheckInModes::with)
    }

    /// This set and `mode`.
    #[must_use]
    pub fn with(self, mode: CheckInMode) -> CheckInModes {
        CheckInModes(self.0 | mode.bit())
    }

    pub fn contains(self, mode: CheckInMode) -> bool {
        self.0 & mode.bit() != 0
    }

    pub fn is_empty(self) -> bool {
        self.0 == 0
    }

    /// The modes in both sets.
    #[must_use]
    pub fn intersection(self, other: CheckInModes) -> CheckInModes {
        CheckInModes(self.0 & other.0)
    }

    /// The modes held, in [`CheckInMode::ALL`] order.
    pub fn iter(self) -> impl Iterator<Item = CheckInMode> {
        CheckInMode::ALL.into_iter().filter(move |mode| self.contains(*mode))
    }

    /// The form to store: names joined by commas, empty for none.
    pub fn as_stored(self) -> String {
        self.iter().map(CheckInMode::as_str).collect::<Vec<_>>().join(",")
    }
}

/// Whether a kind of device can check a space's booker in right now.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DeviceReach {
    /// No bridge-attached (and enabled) device of this kind serves the space.
    Absent,
    /// A device serves it and its bridge has been heard from recently.
    Reporting,
    /// A device serves it but its bridge has been silent for a while: entries it saw may still
    /// be queued at the hub, so nobody may be judged absent by it yet.
    Silent,
}

/// What the hub's devices offer one space now.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CheckInDevices {
    /// The hub is locked down: no door lets anyone in, so nobody can come, whatever the sensors
    /// report or the member could press.
    pub lockdown: bool,
    pub door: DeviceReach,
    pub presence: DeviceReach,
}

impl CheckInDevices {
    /// The modes these devices make possible at all: none in a lockdown; otherwise manual always,
    /// door and presence where a device serves the space.
    pub fn possible(self) -> CheckInModes {
        if self.lockdown {
            return CheckInModes::NONE;
        }
        let mut modes = CheckInModes::NONE.with(CheckInMode::Manual);
        if self.door != DeviceReach::Absent {
            modes = modes.with(CheckInMode::Door);
        }
        if self.presence != DeviceReach::Absent {
            modes = modes.with(CheckInMode::Presence);
        }
        modes
    }

    fn reach(self, mode: CheckInMode) -> DeviceReach {
        match mode {
            CheckInMode::Door => self.door,
            CheckInMode::Presence => self.presence,
            CheckInMode::Manual => DeviceReach::Reporting,
        }
    }
}

/// When the no-show window of a booking opens: the latest of its start, the moment the hub first
/// opens within it on its first day (a whole-day booking starts at midnight, but nobody can come
/// before the hub opens), the moment it was made (a booking made late is not judged on time
/// that had passed before it existed), and the moment the hub's last lockdown was lifted
/// (nobody could come in before).
///
/// `opening` is the hub's opening hours on the local date of the start; when none of them falls
/// within the booking, the start counts (members with a booking may be let in out of hours).
pub fn no_show_window_start(
    booking: &Slot,
    opening: &[Slot],
    created_at: DateTime<Utc>,
    lockdown_lifted_at: Option<DateTime<Utc>>,
) -> DateTime<Utc> {
    let first_open = opening
        .iter()
        .filter(|open| open.end() > booking.start() && open.start() < booking.end())
        .map(|open| open.start().max(booking.start()))
        .min()
        .unwrap_or(booking.start());
    let start = first_open.max(created_at);
    lockdown_lifted_at.map_or(start, |lifted| start.max(lifted))
}

/// Why a booking not checked in is kept (for now or for good).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NoShowKeep {
    /// The booking has ended: it is over, not a no-show (the completion job's to close).
    Ended,
    /// The hub is locked down: nobody can come in, so nobody is judged absent.
    Lockdown,
    /// None of the space's modes can check anyone in now: the rule's premise does not hold.
    NoCheckInPossible,
    /// A device mode's bridge is silent; its entries may still arrive.
    BridgeSilent,
    /// The window is still open.
    WindowOpen,
}

/// What the no-show rule says about one confirmed booking nobody checked in to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NoShowDecision {
    Release,
    Keep(NoShowKeep),
}

/// Releases a booking only while it runs (`now` before its end) and only where a check-in was
/// possible: the hub is not locked down, at least one of the space's modes can check in now
/// (manual can outside a lockdown; door and presence need a bridge-attached device), no
/// configured device's bridge has fallen silent, and `window` has passed since
/// [`no_show_window_start`].
pub fn no_show_decision(
    modes: CheckInModes,
    devices: CheckInDevices,
    booking: &Slot,
    window_start: DateTime<Utc>,
    window: Duration,
    now: DateTime<Utc>,
) -> NoShowDecision {
    if now >= booking.end() {
        return NoShowDecision::Keep(NoShowKeep::Ended);
    }
    if devices.lockdown {
        return NoShowDecision::Keep(NoShowKeep::Lockdown);
    }
    let usable = modes.intersection(devices.possible());
    if usable.is_empty() {
        return NoShowDecision::Keep(NoShowKeep::NoCheckInPossible);
    }
    if usable.iter().any(|mode| devices.reach(mode) == DeviceReach::Silent) {
        return NoShowDecision::Keep(NoShowKeep::BridgeSilent);
    }
    if now < window_start + window {
        return NoShowDecision::Keep(NoShowKeep::WindowOpen);
    }
    NoShowDecision::Release
}

/// Why a member may not check in by hand.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum CheckInRefusal {
    #[error("This space does not offer checking in by hand.")]
    NotOffered,
    #[error("Only a confirmed booking can be checked in.")]
    NotConfirmed,
    #[error("Checking in opens shortly before the booking starts.")]
    NotOpenYet,
    #[error("The time to check in for this booking is over.")]
    Closed,
}

impl CheckInRefusal {
    /// Every refusal, for documentation and exhaustive tests.
    pub const ALL: [CheckInRefusal; 4] =
        [CheckInRefusal::NotOffered, CheckInRefusal::NotConfirmed, CheckInRefusal::NotOpenYet, CheckInRefusal::Closed];

    /// The stable code the API answers with.
    pub fn code(self) -> &'static str {
        match self {
            CheckInRefusal::NotOffered => "check_in_not_offered",
            CheckInRefusal::NotConfirmed => "check_in_not_confirmed",
            CheckInRefusal::NotOpenYet => "check_in_not_open",
            CheckInRefusal::Closed => "check_in_closed",
        }
    }
}

/// The span in which a member may check in by hand: from `start − grace` (when the PIN starts
/// to open the door) until the no-show window closes, and never after the booking ends.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ManualCheckInWindow {
    pub opens: DateTime<Utc>,
    pub closes: DateTime<Utc>,
}

impl ManualCheckInWindow {
    pub fn new(booking: &Slot, grace: Duration, window_start: DateTime<Utc>, window: Duration) -> Self {
        ManualCheckInWindow { opens: booking.start() - grace, closes: (window_start + window).min(booking.end()) }
    }
}

/// What checking in by hand would do now.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ManualCheckIn {
    /// Check the booking in.
    CheckIn,
    /// It is checked in already: nothing to do.
    Already,
}

/// Whether the booker may check in by hand now.
///
/// # Errors
/// The [`CheckInRefusal`] that applies first: not offered, not confirmed, too early, too late.
pub fn manual_check_in(
    modes: CheckInModes,
    status: BookingStatus,
    window: ManualCheckInWindow,
    now: DateTime<Utc>,
) -> Result<ManualCheckIn, CheckInRefusal> {
    if !modes.contains(CheckInMode::Manual) {
        return Err(CheckInRefusal::NotOffered);
    }
    match status {
        BookingStatus::CheckedIn => return Ok(ManualCheckIn::Already),
        BookingStatus::Confirmed => {}
        _ => return Err(CheckInRefusal::NotConfirmed),
    }
    if now < window.opens {
        return Err(CheckInRefusal::NotOpenYet);
    }
    if now >= window.closes {
        return Err(CheckInRefusal::Closed);
    }
    Ok(ManualCheckIn::CheckIn)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]

    use super::*;

    fn at(text: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(text).unwrap().with_timezone(&Utc)
    }

    fn slot(from: &str, to: &str) -> Slot {
        Slot::new(at(from), at(to)).unwrap()
    }

    const ONLINE: CheckInDevices =
        CheckInDevices { lockdown: false, door: DeviceReach::Reporting, presence: DeviceReach::Reporting };
    const NOTHING: CheckInDevices =
        CheckInDevices { lockdown: false, door: DeviceReach::Absent, presence: DeviceReach::Absent };
    const LOCKED_DOWN: CheckInDevices = CheckInDevices { lockdown: true, ..ONLINE };

    #[test]
    fn stored_modes_round_trip_and_unknown_names_are_refused() {
        assert_eq!(CheckInModes::parse("").unwrap(), CheckInModes::NONE);
        let all = CheckInModes::parse("manual, door,presence").unwrap();
        assert_eq!(all.as_stored(), "door,presence,manual");
        assert_eq!(CheckInModes::parse(&all.as_stored()).unwrap(), all);
        let error = CheckInModes::parse("door,qr").unwrap_err();
        assert_eq!(error, UnknownCheckInMode("qr".into()));
        assert!(error.to_string().contains("spaces.check_in_modes"));
    }

    #[test]
    fn a_whole_day_booking_is_judged_from_the_opening_and_a_late_one_from_its_making() {
        let day = slot("2026-11-23T23:00:00Z", "2026-11-24T23:00:00Z");
        let opening = [slot("2026-11-24T07:00:00Z", "2026-11-24T19:00:00Z")];
        let made = at("2026-11-20T10:00:00Z");
        assert_eq!(no_show_window_start(&day, &opening, made, None), at("2026-11-24T07:00:00Z"));
        let hour = slot("2026-11-24T09:00:00Z", "2026-11-24T10:00:00Z");
        assert_eq!(no_show_window_start(&hour, &opening, made, None), hour.start());
        assert_eq!(no_show_window_start(&hour, &opening, at("2026-11-24T09:40:00Z"), None), at("2026-11-24T09:40:00Z"));
        assert_eq!(no_show_window_start(&hour, &[], made, None), hour.start(), "no hours: the start counts");
    }

    #[test]
    fn the_window_opens_no_earlier_than_the_last_lift_of_a_lockdown() {
        let hour = slot("2026-11-24T09:00:00Z", "2026-11-24T11:00:00Z");
        let opening = [slot("2026-11-24T07:00:00Z", "2026-11-24T19:00:00Z")];
        let made = at("2026-11-20T10:00:00Z");
        let lifted = at("2026-11-24T09:20:00Z");
        assert_eq!(no_show_window_start(&hour, &opening, made, Some(lifted)), lifted);
        let long_ago = at("2026-11-01T12:00:00Z");
        assert_eq!(no_show_window_start(&hour, &opening, made, Some(long_ago)), hour.start(), "an old lift is moot");
        let day = slot("2026-11-23T23:00:00Z", "2026-11-24T23:00:00Z");
        let before_opening = at("2026-11-24T06:00:00Z");
        assert_eq!(no_show_window_start(&day, &opening, made, Some(before_opening)), at("2026-11-24T07:00:00Z"));
        let window = Duration::minutes(30);
        let decide = |now: &str| {
            let start = no_show_window_start(&hour, &opening, made, Some(lifted));
            no_show_decision(CheckInModes::of(CheckInMode::ALL), ONLINE, &hour, start, window, at(now))
        };
        assert_eq!(decide("2026-11-24T09:30:00Z"), NoShowDecision::Keep(NoShowKeep::WindowOpen), "not at once");
        assert_eq!(decide("2026-11-24T09:49:59Z"), NoShowDecision::Keep(NoShowKeep::WindowOpen));
        assert_eq!(decide("2026-11-24T09:50:00Z"), NoShowDecision::Release);
    }

    #[test]
    fn nothing_is_released_in_a_lockdown_whatever_the_modes_and_devices() {
        let booking = slot("2026-11-24T09:00:00Z", "2026-11-24T12:00:00Z");
        let late = at("2026-11-24T11:00:00Z");
        let window = Duration::minutes(30);
        for modes in [CheckInModes::of(CheckInMode::ALL), CheckInModes::of([CheckInMode::Manual])] {
            assert_eq!(
                no_show_decision(modes, LOCKED_DOWN, &booking, booking.start(), window, late),
                NoShowDecision::Keep(NoShowKeep::Lockdown)
            );
            assert_eq!(
                no_show_decision(modes, ONLINE, &booking, booking.start(), window, late),
                NoShowDecision::Release
            );
        }
        assert!(LOCKED_DOWN.possible().is_empty(), "not even by hand");
    }

    #[test]
    fn a_booking_that_has_ended_is_never_released() {
        // Released early at 09:10 without a check-in: it now ends at 09:30, when the window closes.
        let shortened = slot("2026-11-24T09:00:00Z", "2026-11-24T09:30:00Z");
        let manual = CheckInModes::of([CheckInMode::Manual]);
        let window = Duration::minutes(30);
        let decide = |now: &str| no_show_decision(manual, NOTHING, &shortened, shortened.start(), window, at(now));
        assert_eq!(decide("2026-11-24T09:29:59Z"), NoShowDecision::Keep(NoShowKeep::WindowOpen));
        assert_eq!(decide("2026-11-24T09:30:00Z"), NoShowDecision::Keep(NoShowKeep::Ended));
        assert_eq!(decide("2026-11-24T13:00:00Z"), NoShowDecision::Keep(NoShowKeep::Ended));
        let longer = slot("2026-11-24T09:00:00Z", "2026-11-24T09:30:01Z");
        assert_eq!(
            no_show_decision(manual, NOTHING, &longer, longer.start(), window, at("2026-11-24T09:30:00Z")),
            NoShowDecision::Release,
            "released in its last second, while it still runs"
        );
    }

    #[test]
    fn nothing_is_released_where_no_check_in_is_possible() {
        let booking = slot("2026-11-24T09:00:00Z", "2026-11-24T13:00:00Z");
        let start = booking.start();
        let late = at("2026-11-24T12:00:00Z");
        let keep = |modes, devices| no_show_decision(modes, devices, &booking, start, Duration::minutes(30), late);
        assert_eq!(keep(CheckInModes::NONE, ONLINE), NoShowDecision::Keep(NoShowKeep::NoCheckInPossible));
        let door = CheckInModes::of([CheckInMode::Door]);
        assert_eq!(keep(door, NOTHING), NoShowDecision::Keep(NoShowKeep::NoCheckInPossible));
        assert_eq!(keep(door, ONLINE), NoShowDecision::Release);
        let silent = CheckInDevices { lockdown: false, door: DeviceReach::Silent, presence: DeviceReach::Absent };
        assert_eq!(keep(door.with(CheckInMode::Manual), silent), NoShowDecision::Keep(NoShowKeep::BridgeSilent));
        assert_eq!(keep(CheckInModes::of([CheckInMode::Manual]), NOTHING), NoShowDecision::Release);
        assert_eq!(
            no_show_decision(door, ONLINE, &booking, start, Duration::minutes(30), at("2026-11-24T09:29:59Z")),
            NoShowDecision::Keep(NoShowKeep::WindowOpen)
        );
    }

    #[test]
    fn checking_in_by_hand_runs_from_the_grace_to_the_end_of_the_window() {
        let booking = slot("2026-11-24T09:00:00Z", "2026-11-24T11:00:00Z");
        let window = ManualCheckInWindow::new(&booking, Duration::minutes(15), booking.start(), Duration::minutes(30));
        let manual = CheckInModes::of([CheckInMode::Manual]);
        let try_at = |t: &str| manual_check_in(manual, BookingStatus::Confirmed, window, at(t));
        assert_eq!(try_at("2026-11-24T08:44:59Z"), Err(CheckInRefusal::NotOpenYet));
        assert_eq!(try_at("2026-11-24T08:45:00Z"), Ok(ManualCheckIn::CheckIn));
        assert_eq!(try_at("2026-11-24T09:29:59Z"), Ok(ManualCheckIn::CheckIn));
        assert_eq!(try_at("2026-11-24T09:30:00Z"), Err(CheckInRefusal::Closed));
        let door = CheckInModes::of([CheckInMode::Door]);
        let now = at("2026-11-24T09:00:00Z");
        assert_eq!(manual_check_in(door, BookingStatus::Confirmed, window, now), Err(CheckInRefusal::NotOffered));
        assert_eq!(manual_check_in(manual, BookingStatus::Pending, window, now), Err(CheckInRefusal::NotConfirmed));
        assert_eq!(manual_check_in(manual, BookingStatus::CheckedIn, window, now), Ok(ManualCheckIn::Already));
    }
}
