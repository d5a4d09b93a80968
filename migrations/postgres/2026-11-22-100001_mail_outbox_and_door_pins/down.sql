DROP INDEX bookings_reminder_due;
ALTER TABLE bookings DROP COLUMN reminder_sent_at;
ALTER TABLE bookings DROP COLUMN calendar_sequence;
ALTER TABLE bookings DROP COLUMN pin_verifier;
ALTER TABLE hubs DROP COLUMN pin_grace_minutes;
DROP INDEX mail_outbox_due;
DROP TABLE mail_outbox;
