-- Every "overlaps [start, end)" query walks a space's (or a member's) bookings of the 31 days
-- before its window through these indexes and, for each entry, looked up the table row only to
-- read end_at and status. With both in the index the walk stays in the index ("USING COVERING
-- INDEX"): the day view, the start page, the booking check and the overlap triggers read one
-- b-tree instead of two. The leading columns are unchanged, so every plan keeps its range.
DROP INDEX bookings_space_start;
CREATE INDEX bookings_space_start ON bookings (space_id, start_at, end_at, status);
DROP INDEX bookings_user_start;
CREATE INDEX bookings_user_start ON bookings (user_id, start_at, end_at, status);
