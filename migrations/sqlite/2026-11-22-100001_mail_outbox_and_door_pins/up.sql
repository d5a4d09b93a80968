-- E-mail outbox, door PINs and reminders (SQLite).

-- Every e-mail is written here in the transaction of the change it reports and sent later by the
-- mail job, so a mail server that is down never fails or blocks a booking. Bodies (which can hold
-- a door PIN) are cleared once a mail is sent or given up; the row is kept a while for support.
CREATE TABLE mail_outbox (
    id TEXT PRIMARY KEY,
    recipient TEXT NOT NULL,
    subject TEXT NOT NULL,
    text_body TEXT NOT NULL,
    html_body TEXT NOT NULL,
    ics TEXT,
    ics_method TEXT CHECK (ics_method IN ('REQUEST', 'CANCEL', 'PUBLISH')),
    created_at TIMESTAMP NOT NULL,
    attempts INTEGER NOT NULL DEFAULT 0 CHECK (attempts >= 0),
    next_attempt_at TIMESTAMP NOT NULL,
    sent_at TIMESTAMP,
    failed_at TIMESTAMP,
    last_error TEXT,
    CHECK ((ics IS NULL) = (ics_method IS NULL))
);
CREATE INDEX mail_outbox_due ON mail_outbox (next_attempt_at) WHERE sent_at IS NULL AND failed_at IS NULL;

-- How long before a booking starts its PIN already opens the door.
ALTER TABLE hubs ADD COLUMN pin_grace_minutes INTEGER NOT NULL DEFAULT 15
    CHECK (pin_grace_minutes BETWEEN 0 AND 240);

-- The keyed hash of the booking's door PIN (never the PIN); NULL when the booking has no PIN
-- (pending, cancelled). Raised with every change sent as a calendar entry (RFC 5545 SEQUENCE).
-- When the reminder mail was written, so it is written once.
ALTER TABLE bookings ADD COLUMN pin_verifier TEXT;
ALTER TABLE bookings ADD COLUMN calendar_sequence INTEGER NOT NULL DEFAULT 0;
ALTER TABLE bookings ADD COLUMN reminder_sent_at TIMESTAMP;
CREATE INDEX bookings_reminder_due ON bookings (start_at) WHERE reminder_sent_at IS NULL AND status = 'confirmed';
