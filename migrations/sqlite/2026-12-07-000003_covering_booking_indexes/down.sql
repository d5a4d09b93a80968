DROP INDEX bookings_space_start;
CREATE INDEX bookings_space_start ON bookings (space_id, start_at);
DROP INDEX bookings_user_start;
CREATE INDEX bookings_user_start ON bookings (user_id, start_at);
