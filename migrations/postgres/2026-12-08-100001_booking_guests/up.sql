-- Guests a member invited to a booked room (issue 16). A guest has no account: only the name and
-- address the member typed, the language of the guest's mails and the keyed verifier of the
-- guest's own door PIN (never the PIN). The guest's PIN opens what the booking opens, for the
-- booking's window, while the invitation is not withdrawn and the booking holds a PIN.
CREATE TABLE booking_guests (
    id TEXT PRIMARY KEY,
    booking_id TEXT NOT NULL REFERENCES bookings (id) ON DELETE CASCADE,
    name TEXT NOT NULL,
    email TEXT NOT NULL,
    locale TEXT NOT NULL,
    pin_verifier TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    withdrawn_at TIMESTAMP
);
CREATE INDEX booking_guests_booking ON booking_guests (booking_id);
-- An address is invited at most once per booking at a time (a withdrawn one may be invited again).
CREATE UNIQUE INDEX booking_guests_active_email ON booking_guests (booking_id, email) WHERE withdrawn_at IS NULL;

-- Hub managers may turn guests off per space; only rooms take guests at all.
ALTER TABLE spaces ADD COLUMN guests_allowed BOOLEAN NOT NULL DEFAULT TRUE;
