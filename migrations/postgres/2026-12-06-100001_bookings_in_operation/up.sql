-- Bookings in real operation: how each space can check a member in (no-show release only where
-- it can), door controls for managers (a disabled door, a hub in lockdown, a door opened by
-- staff with a reason) and door cards registered for members.

-- Comma-separated subset of 'door', 'presence', 'manual'; empty means no check-in and so no
-- no-show release. Existing hourly spaces get the modes their hub's devices make possible;
-- whole-day spaces (equipment lent for the day) start with none, since an entry at 00:00 of a
-- hub open around the clock says nothing about whether the member still comes.
ALTER TABLE spaces ADD COLUMN check_in_modes TEXT NOT NULL DEFAULT '';
UPDATE spaces SET check_in_modes = 'door' WHERE booking_unit = 'hour' AND EXISTS (
    SELECT 1 FROM doors d
    WHERE d.hub_id = spaces.hub_id AND d.bridge_id IS NOT NULL
      AND (d.is_entrance OR EXISTS (SELECT 1 FROM door_spaces ds WHERE ds.door_id = d.id AND ds.space_id = spaces.id))
);
UPDATE spaces SET check_in_modes = CASE WHEN check_in_modes = '' THEN 'presence' ELSE check_in_modes || ',presence' END
WHERE booking_unit = 'hour'
  AND EXISTS (SELECT 1 FROM sensors s WHERE s.space_id = spaces.id AND s.bridge_id IS NOT NULL);

-- A disabled door refuses every credential and remote unlock.
ALTER TABLE doors ADD COLUMN disabled BOOLEAN NOT NULL DEFAULT FALSE;

-- While set, every door of the hub refuses everything but the bridge's maintenance credentials.
ALTER TABLE hubs ADD COLUMN lockdown_since TIMESTAMP;
-- When the last lockdown was lifted: no-show windows that passed while nobody could get in do
-- not count.
ALTER TABLE hubs ADD COLUMN lockdown_lifted_at TIMESTAMP;

-- A door opened by staff has no booking; the reason they gave is kept with the command.
ALTER TABLE door_commands ADD COLUMN reason TEXT;

-- Door cards (NFC UIDs) registered for members at one hub. Only the keyed verifier of the UID
-- is stored (like a PIN's), with its last characters to tell cards apart.
CREATE TABLE cards (
    id TEXT PRIMARY KEY,
    hub_id TEXT NOT NULL REFERENCES hubs (id) ON DELETE CASCADE,
    user_id TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    verifier TEXT NOT NULL,
    label TEXT NOT NULL,
    uid_hint TEXT NOT NULL,
    created_by TEXT REFERENCES users (id) ON DELETE SET NULL,
    created_at TIMESTAMP NOT NULL,
    revoked_at TIMESTAMP
);
CREATE UNIQUE INDEX cards_active_verifier ON cards (hub_id, verifier) WHERE revoked_at IS NULL;
CREATE INDEX cards_user ON cards (user_id);
