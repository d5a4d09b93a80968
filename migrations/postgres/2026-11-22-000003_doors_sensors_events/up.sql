-- What the hubs' bridges and the console share: bridges with their tokens, doors wired to a
-- bridge unit, presence sensors, the access log, presence readings, door states, alarms,
-- remote-unlock commands, and the console's audit trail. Times are UTC.

ALTER TABLE hubs ADD COLUMN no_show_minutes INTEGER NOT NULL DEFAULT 30 CHECK (no_show_minutes > 0);
ALTER TABLE operators ADD COLUMN access_log_retention_days INTEGER NOT NULL DEFAULT 90
    CHECK (access_log_retention_days > 0);

CREATE TABLE bridges (
    id TEXT PRIMARY KEY,
    hub_id TEXT NOT NULL REFERENCES hubs (id),
    name TEXT NOT NULL,
    -- SHA-256 of the bridge's bearer token; the token itself is shown once.
    token_hash TEXT NOT NULL UNIQUE,
    created_at TIMESTAMP NOT NULL,
    rotated_at TIMESTAMP,
    last_seen_at TIMESTAMP
);
CREATE INDEX bridges_hub ON bridges (hub_id);

ALTER TABLE doors ADD COLUMN bridge_id TEXT REFERENCES bridges (id) ON DELETE SET NULL;
ALTER TABLE doors ADD COLUMN modbus_unit_id INTEGER CHECK (modbus_unit_id BETWEEN 1 AND 247);
CREATE UNIQUE INDEX doors_bridge_unit ON doors (bridge_id, modbus_unit_id);

CREATE TABLE sensors (
    id TEXT PRIMARY KEY,
    hub_id TEXT NOT NULL REFERENCES hubs (id),
    space_id TEXT REFERENCES spaces (id) ON DELETE SET NULL,
    bridge_id TEXT REFERENCES bridges (id) ON DELETE SET NULL,
    name TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX sensors_hub ON sensors (hub_id);

-- Every door decision and door event a bridge reports. The id is the bridge's event id, so a
-- retried upload is stored once.
CREATE TABLE access_events (
    id TEXT PRIMARY KEY,
    hub_id TEXT NOT NULL REFERENCES hubs (id),
    door_id TEXT REFERENCES doors (id) ON DELETE SET NULL,
    booking_id TEXT REFERENCES bookings (id) ON DELETE SET NULL,
    kind TEXT NOT NULL,
    reason TEXT,
    offline BOOLEAN NOT NULL DEFAULT FALSE,
    occurred_at TIMESTAMP NOT NULL,
    received_at TIMESTAMP NOT NULL
);
CREATE INDEX access_events_hub_time ON access_events (hub_id, occurred_at);
CREATE INDEX access_events_booking ON access_events (booking_id);

-- Raw presence readings (kept at most 7 days), then 5-minute aggregates for statistics.
CREATE TABLE presence_readings (
    id TEXT PRIMARY KEY,
    hub_id TEXT NOT NULL REFERENCES hubs (id),
    sensor_id TEXT REFERENCES sensors (id) ON DELETE SET NULL,
    space_id TEXT REFERENCES spaces (id) ON DELETE SET NULL,
    -- 'present', 'empty' or 'unknown'
    presence TEXT NOT NULL CHECK (presence IN ('present', 'empty', 'unknown')),
    observed_at TIMESTAMP NOT NULL,
    received_at TIMESTAMP NOT NULL
);
CREATE INDEX presence_readings_space_time ON presence_readings (space_id, observed_at);

CREATE TABLE presence_aggregates (
    space_id TEXT NOT NULL REFERENCES spaces (id) ON DELETE CASCADE,
    bucket_start TIMESTAMP NOT NULL,
    present_seconds INTEGER NOT NULL,
    observed_seconds INTEGER NOT NULL,
    PRIMARY KEY (space_id, bucket_start)
);

-- The latest known state of each door: 'closed', 'open', 'held_open' or 'unknown'.
CREATE TABLE door_states (
    door_id TEXT PRIMARY KEY REFERENCES doors (id) ON DELETE CASCADE,
    state TEXT NOT NULL CHECK (state IN ('closed', 'open', 'held_open', 'unknown')),
    updated_at TIMESTAMP NOT NULL
);

-- Alarms raised by bridges; open until cleared, acknowledged by a person in the console.
CREATE TABLE alarms (
    id TEXT PRIMARY KEY,
    hub_id TEXT NOT NULL REFERENCES hubs (id),
    door_id TEXT REFERENCES doors (id) ON DELETE SET NULL,
    kind TEXT NOT NULL CHECK (kind IN ('held_open', 'forced_open', 'controller_silent', 'device_fault')),
    raised_at TIMESTAMP NOT NULL,
    cleared_at TIMESTAMP,
    acknowledged_by TEXT REFERENCES users (id) ON DELETE SET NULL,
    acknowledged_at TIMESTAMP,
    last_notified_at TIMESTAMP
);
CREATE INDEX alarms_hub_open ON alarms (hub_id, cleared_at);

-- Remote unlocks: requested on the booking page, fetched by the bridge, acknowledged by the
-- controller or relay. Never carried out after the deadline.
CREATE TABLE door_commands (
    id TEXT PRIMARY KEY,
    hub_id TEXT NOT NULL REFERENCES hubs (id),
    door_id TEXT NOT NULL REFERENCES doors (id) ON DELETE CASCADE,
    booking_id TEXT REFERENCES bookings (id) ON DELETE SET NULL,
    requested_by TEXT REFERENCES users (id) ON DELETE SET NULL,
    status TEXT NOT NULL CHECK (status IN ('requested', 'delivered', 'executed', 'failed', 'expired')),
    requested_at TIMESTAMP NOT NULL,
    deadline TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);
CREATE INDEX door_commands_hub_status ON door_commands (hub_id, status);

-- Who changed what in the console, and when.
CREATE TABLE audit_log (
    id TEXT PRIMARY KEY,
    actor_id TEXT REFERENCES users (id) ON DELETE SET NULL,
    hub_id TEXT REFERENCES hubs (id) ON DELETE SET NULL,
    action TEXT NOT NULL,
    subject TEXT NOT NULL,
    details TEXT NOT NULL DEFAULT '',
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX audit_log_hub_time ON audit_log (hub_id, created_at);
