-- Foundation schema (SQLite). Timestamps are UTC text as diesel writes them; ids are UUIDv7 text.

CREATE TABLE operators (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    legal_contact TEXT NOT NULL,
    privacy_contact TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL
);

CREATE TABLE hubs (
    id TEXT PRIMARY KEY,
    operator_id TEXT NOT NULL REFERENCES operators (id),
    slug TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    street TEXT NOT NULL,
    postcode TEXT NOT NULL,
    town TEXT NOT NULL,
    time_zone TEXT NOT NULL DEFAULT 'Europe/Berlin',
    max_concurrent_per_user INTEGER NOT NULL DEFAULT 1 CHECK (max_concurrent_per_user > 0),
    max_upcoming_per_user INTEGER NOT NULL DEFAULT 10 CHECK (max_upcoming_per_user > 0),
    created_at TIMESTAMP NOT NULL
);

CREATE TABLE opening_hours (
    hub_id TEXT NOT NULL REFERENCES hubs (id) ON DELETE CASCADE,
    weekday INTEGER NOT NULL CHECK (weekday BETWEEN 1 AND 7),
    opens_minute INTEGER NOT NULL CHECK (opens_minute BETWEEN 0 AND 1439),
    closes_minute INTEGER NOT NULL CHECK (closes_minute BETWEEN 1 AND 1440),
    PRIMARY KEY (hub_id, weekday, opens_minute),
    CHECK (closes_minute > opens_minute)
);

CREATE TABLE closures (
    id TEXT PRIMARY KEY,
    hub_id TEXT NOT NULL REFERENCES hubs (id) ON DELETE CASCADE,
    first_day DATE NOT NULL,
    last_day DATE NOT NULL,
    label TEXT NOT NULL,
    CHECK (last_day >= first_day)
);
CREATE INDEX closures_hub_days ON closures (hub_id, first_day, last_day);

CREATE TABLE spaces (
    id TEXT PRIMARY KEY,
    hub_id TEXT NOT NULL REFERENCES hubs (id),
    name TEXT NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('desk', 'room', 'equipment')),
    capacity INTEGER NOT NULL CHECK (capacity > 0),
    enabled BOOLEAN NOT NULL DEFAULT 1,
    booking_unit TEXT NOT NULL CHECK (booking_unit IN ('hour', 'day')),
    slot_minutes INTEGER NOT NULL CHECK (slot_minutes > 0),
    min_minutes INTEGER NOT NULL CHECK (min_minutes > 0),
    max_minutes INTEGER NOT NULL,
    max_days_ahead INTEGER NOT NULL CHECK (max_days_ahead >= 0),
    approval_required BOOLEAN NOT NULL DEFAULT 0,
    created_at TIMESTAMP NOT NULL,
    CHECK (max_minutes >= min_minutes)
);
CREATE INDEX spaces_hub ON spaces (hub_id);

CREATE TABLE doors (
    id TEXT PRIMARY KEY,
    hub_id TEXT NOT NULL REFERENCES hubs (id),
    name TEXT NOT NULL,
    is_entrance BOOLEAN NOT NULL DEFAULT 0,
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX doors_hub ON doors (hub_id);

CREATE TABLE door_spaces (
    door_id TEXT NOT NULL REFERENCES doors (id) ON DELETE CASCADE,
    space_id TEXT NOT NULL REFERENCES spaces (id) ON DELETE CASCADE,
    PRIMARY KEY (door_id, space_id)
);

CREATE TABLE users (
    id TEXT PRIMARY KEY,
    email TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    locale TEXT NOT NULL DEFAULT 'de',
    status TEXT NOT NULL CHECK (status IN ('active', 'blocked', 'pending')),
    password_hash TEXT,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);

CREATE TABLE user_roles (
    id TEXT PRIMARY KEY,
    user_id TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    role TEXT NOT NULL CHECK (role IN ('member', 'hub_manager', 'admin')),
    hub_id TEXT REFERENCES hubs (id) ON DELETE CASCADE,
    CHECK ((role = 'hub_manager') = (hub_id IS NOT NULL))
);
CREATE UNIQUE INDEX user_roles_unique ON user_roles (user_id, role, COALESCE(hub_id, ''));

CREATE TABLE api_tokens (
    id TEXT PRIMARY KEY,
    user_id TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    name TEXT NOT NULL,
    token_hash TEXT NOT NULL UNIQUE,
    created_at TIMESTAMP NOT NULL,
    last_used_at TIMESTAMP,
    revoked_at TIMESTAMP
);
CREATE INDEX api_tokens_user ON api_tokens (user_id);

CREATE TABLE bookings (
    id TEXT PRIMARY KEY,
    space_id TEXT NOT NULL REFERENCES spaces (id),
    user_id TEXT REFERENCES users (id) ON DELETE SET NULL,
    start_at TIMESTAMP NOT NULL,
    end_at TIMESTAMP NOT NULL,
    status TEXT NOT NULL
        CHECK (status IN ('pending', 'confirmed', 'cancelled', 'checked_in', 'no_show', 'completed')),
    created_by TEXT REFERENCES users (id) ON DELETE SET NULL,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    cancelled_at TIMESTAMP,
    CHECK (end_at > start_at)
);
CREATE INDEX bookings_user_start ON bookings (user_id, start_at);
CREATE INDEX bookings_space_start ON bookings (space_id, start_at);

-- The last line of defence against double booking (SQLite has no exclusion constraints): no two
-- occupying bookings of one space may overlap. Half-open intervals keep back-to-back legal.
CREATE TRIGGER bookings_no_overlap_insert BEFORE INSERT ON bookings
WHEN NEW.status NOT IN ('cancelled', 'no_show')
BEGIN
    SELECT RAISE(ABORT, 'bookings_no_overlap')
    WHERE EXISTS (
        SELECT 1 FROM bookings
        WHERE space_id = NEW.space_id
          AND status NOT IN ('cancelled', 'no_show')
          AND start_at < NEW.end_at AND end_at > NEW.start_at
    );
END;

CREATE TRIGGER bookings_no_overlap_update BEFORE UPDATE OF space_id, start_at, end_at, status ON bookings
WHEN NEW.status NOT IN ('cancelled', 'no_show')
BEGIN
    SELECT RAISE(ABORT, 'bookings_no_overlap')
    WHERE EXISTS (
        SELECT 1 FROM bookings
        WHERE space_id = NEW.space_id AND id <> NEW.id
          AND status NOT IN ('cancelled', 'no_show')
          AND start_at < NEW.end_at AND end_at > NEW.start_at
    );
END;
