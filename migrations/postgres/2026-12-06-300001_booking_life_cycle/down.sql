ALTER TABLE bookings DROP COLUMN completed_without_check_in;
DROP INDEX bookings_holding_end;
DROP INDEX bookings_pending_start;
