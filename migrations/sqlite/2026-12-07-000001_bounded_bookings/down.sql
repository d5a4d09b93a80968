DROP TRIGGER bookings_bounded_length_insert;
DROP TRIGGER bookings_bounded_length_update;

DROP TRIGGER bookings_no_overlap_insert;
CREATE TRIGGER bookings_no_overlap_insert BEFORE INSERT ON bookings
WHEN NEW.status NOT IN ('cancelled', 'no_show')
BEGIN
    SELECT RAISE(ABORT, 'bookings_no_overlap')
    WHERE EXISTS (
        SELECT 1 FROM bookings
        WHERE space_id = NEW.space_id
          AND status NOT IN ('cancelled', 'no_show')
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
          AND start_at < NEW.end_at AND end_at > NEW.start_at
    );
END;
