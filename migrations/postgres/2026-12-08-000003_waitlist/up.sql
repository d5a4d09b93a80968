-- Members waiting for a taken slot of a space. When the slot frees, the first one waiting is
-- offered it and holds it until `offer_expires_at`; then the next one is asked.
CREATE TABLE waitlist_entries (
    id TEXT PRIMARY KEY NOT NULL,
    user_id TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    space_id TEXT NOT NULL REFERENCES spaces (id),
    start_at TIMESTAMP NOT NULL,
    end_at TIMESTAMP NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('waiting', 'offered', 'booked', 'expired', 'left')),
    created_at TIMESTAMP NOT NULL,
    offered_at TIMESTAMP,
    offer_expires_at TIMESTAMP,
    booking_id TEXT REFERENCES bookings (id) ON DELETE SET NULL,
    CHECK (end_at > start_at)
);
-- The offer job reads the open entries by start; a booking checks holds on its space and time.
CREATE INDEX waitlist_open ON waitlist_entries (status, start_at);
CREATE INDEX waitlist_space_start ON waitlist_entries (space_id, start_at);
CREATE INDEX waitlist_user ON waitlist_entries (user_id);
