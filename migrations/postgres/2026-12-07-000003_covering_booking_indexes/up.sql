-- Every "overlaps [start, end)" query walks a space's (or a member's) bookings of the 31 days
-- before its window through these indexes and read each heap row only for end_at and status.
-- With both included, PostgreSQL can answer from the index alone (an index-only scan, where the
-- visibility map allows). The key columns are unchanged, so every plan keeps its range.
DROP INDEX bookings_space_start;
CREATE INDEX bookings_space_start ON bookings (space_id, start_at) INCLUDE (end_at, status);
DROP INDEX bookings_user_start;
CREATE INDEX bookings_user_start ON bookings (user_id, start_at) INCLUDE (end_at, status);
