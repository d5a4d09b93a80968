-- The booking life cycle's periodic passes: requests not decided by their start are declined,
-- and confirmed or checked-in bookings become completed once they have ended. Each pass reads
-- only the few rows in its state, through a partial index, however long the history grows.
CREATE INDEX bookings_pending_start ON bookings (start_at) WHERE status = 'pending';
CREATE INDEX bookings_holding_end ON bookings (end_at) WHERE status IN ('confirmed', 'checked_in');

-- A completed booking whose person never checked in (a space without check-in, or the no-show
-- release did not apply), so that reports do not count it as attended.
ALTER TABLE bookings ADD COLUMN completed_without_check_in BOOLEAN NOT NULL DEFAULT FALSE;
