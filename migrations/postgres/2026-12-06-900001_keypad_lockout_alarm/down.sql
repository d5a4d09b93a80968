DELETE FROM alarms WHERE kind = 'keypad_lockout';
ALTER TABLE alarms DROP CONSTRAINT alarms_kind_check;
ALTER TABLE alarms ADD CONSTRAINT alarms_kind_check
    CHECK (kind IN ('held_open', 'forced_open', 'controller_silent', 'device_fault'));
