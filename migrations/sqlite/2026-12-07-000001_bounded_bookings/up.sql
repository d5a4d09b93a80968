-- No booking lasts longer than 31 days (a daily space allows at most 30 local days, under 31 days
-- across a daylight-saving change). Every "overlaps [start, end)" query relies on it: it starts
-- its index range at start - 31 days instead of walking the whole history. SQLite cannot add a
-- CHECK to an existing table, so triggers refuse a longer booking.
-- A longer booking stored before this migration would slip past the bounded queries and the
-- bounded trigger below: stop here, naming the rule, rather than miss an overlap later. (The
-- console never allowed one; only rules set by hand could have made it.)
CREATE TEMP TABLE longer_bookings (
    found INTEGER NOT NULL,
    CONSTRAINT no_stored_booking_may_last_over_31_days CHECK (found = 0)
);
INSERT INTO longer_bookings (found)
SELECT count(*) FROM bookings WHERE julianday(end_at) - julianday(start_at) > 31;
DROP TABLE longer_bookings;

CREATE TRIGGER bookings_bounded_length_insert BEFORE INSERT ON bookings
WHEN julianday(NEW.end_at) - julianday(NEW.start_at) > 31
BEGIN
    SELECT RAISE(ABORT, 'bookings_bounded_length');
END;

CREATE TRIGGER bookings_bounded_length_update BEFORE UPDATE OF start_at, end_at ON bookings
WHEN julianday(NEW.end_at) - julianday(NEW.start_at) > 31
BEGIN
    SELECT RAISE(ABORT, 'bookings_bounded_length');
END;

-- The overlap triggers with the same lower bound, so a booking's check reads only the space's
-- bookings of the last 31 days before it, not every booking the space ever had. Timestamps are
-- stored as 'YYYY-MM-DD HH:MM:SS[.f]' text, which datetime() writes too, so they compare in order.
DROP TRIGGER bookings_no_overlap_insert;
CREATE TRIGGER bookings_no_overlap_insert BEFORE INSERT ON bookings
WHEN NEW.status NOT IN ('cancelled', 'no_show')
BEGIN
    SELECT RAISE(ABORT, 'bookings_no_overlap')
    WHERE EXISTS (
        SELECT 1 FROM bookings
        WHERE space_id = NEW.space_id
          AND status NOT IN ('cancelled', 'no_show')
          AND start_at > datetime(NEW.start_at, '-31 days')
          AND start_at < NEW.end_at AND end_at > NEW.start_at
    );
END;

DROP TRIGGER bookings_no_overlap_update;
CREATE TRIGGER bookings_no_overlap_update BEFORE UPDATE OF space_id, start_at, end_at, status ON bookings
WHEN NEW.status NOT IN ('cancelled', 'no_show')
BEGIN
    SELECT RAISE(ABORT, 'bookings_no_overlap')
    WHERE EXISTS (
        SELECT 1 FROM bookings
        WHERE space_id = NEW.space_id AND id <> NEW.id
          AND status NOT IN ('cancelled', 'no_show')
          AND start_at > datetime(NEW.start_at, '-31 days')
          AND start_at < NEW.end_at AND end_at > NEW.start_at
    );
END;
