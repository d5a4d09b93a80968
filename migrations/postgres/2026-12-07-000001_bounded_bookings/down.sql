ALTER TABLE bookings DROP CONSTRAINT bookings_bounded_length;
