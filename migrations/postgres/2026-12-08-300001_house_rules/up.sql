-- An operator's house rules: each publication is a new version, never edited in place, so an
-- acceptance always names the exact text the member saw.
CREATE TABLE house_rules (
    operator_id TEXT NOT NULL REFERENCES operators (id) ON DELETE CASCADE,
    version INTEGER NOT NULL CHECK (version >= 1),
    body TEXT NOT NULL,
    published_at TIMESTAMP NOT NULL,
    published_by TEXT REFERENCES users (id) ON DELETE SET NULL,
    PRIMARY KEY (operator_id, version)
);
-- A member's acceptance of one version; a member accepts the current version once.
CREATE TABLE house_rule_acceptances (
    user_id TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    operator_id TEXT NOT NULL,
    version INTEGER NOT NULL,
    accepted_at TIMESTAMP NOT NULL,
    PRIMARY KEY (user_id, operator_id, version),
    FOREIGN KEY (operator_id, version) REFERENCES house_rules (operator_id, version) ON DELETE CASCADE
);
-- Spaces (rooms) that ask for a purpose and a head count on booking: a row means "asks". Kept
-- apart from `spaces` so the catalogue's rows stay as they are.
CREATE TABLE spaces_asking_purpose (
    space_id TEXT PRIMARY KEY NOT NULL REFERENCES spaces (id) ON DELETE CASCADE
);
-- What a booking is for and how many come: shown to the hub's staff only.
CREATE TABLE booking_purposes (
    booking_id TEXT PRIMARY KEY NOT NULL REFERENCES bookings (id) ON DELETE CASCADE,
    purpose TEXT NOT NULL,
    head_count INTEGER NOT NULL CHECK (head_count >= 1)
);
