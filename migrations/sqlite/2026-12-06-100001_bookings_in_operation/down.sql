DROP TABLE cards;
ALTER TABLE door_commands DROP COLUMN reason;
ALTER TABLE hubs DROP COLUMN lockdown_lifted_at;
ALTER TABLE hubs DROP COLUMN lockdown_since;
ALTER TABLE doors DROP COLUMN disabled;
ALTER TABLE spaces DROP COLUMN check_in_modes;
