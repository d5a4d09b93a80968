-- Repeated keypad lockouts at one door (someone guessing PINs) become an alarm of their own.
ALTER TABLE alarms DROP CONSTRAINT alarms_kind_check;
ALTER TABLE alarms ADD CONSTRAINT alarms_kind_check
    CHECK (kind IN ('held_open', 'forced_open', 'controller_silent', 'device_fault', 'keypad_lockout'));
