-- No booking lasts longer than 31 days (a daily space allows at most 30 local days, under 31 days
-- across a daylight-saving change). Every "overlaps [start, end)" query relies on it: it starts
-- its index range at start - 31 days instead of walking the whole history.
ALTER TABLE bookings ADD CONSTRAINT bookings_bounded_length CHECK (end_at <= start_at + interval '31 days');
