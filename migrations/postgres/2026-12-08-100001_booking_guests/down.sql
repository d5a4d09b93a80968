ALTER TABLE spaces DROP COLUMN guests_allowed;
DROP TABLE booking_guests;
