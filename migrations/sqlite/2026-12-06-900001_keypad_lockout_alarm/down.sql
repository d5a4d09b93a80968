DELETE FROM alarms WHERE kind = 'keypad_lockout';
CREATE TABLE alarms_old (
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
INSERT INTO alarms_old SELECT id, hub_id, door_id, kind, raised_at, cleared_at, acknowledged_by, acknowledged_at,
    last_notified_at FROM alarms;
DROP TABLE alarms;
ALTER TABLE alarms_old RENAME TO alarms;
CREATE INDEX alarms_hub_open ON alarms (hub_id, cleared_at);
