-- A member's repeating booking: the rule it was made with, and which bookings belong to it. Each
-- date is a booking of its own (own PIN, check-in, cancellation, calendar entry); the series ties
-- them together for "my bookings" and for cancelling this and the following dates, or all.
CREATE TABLE booking_series (
    id TEXT PRIMARY KEY NOT NULL,
    user_id TEXT REFERENCES users (id) ON DELETE SET NULL,
    space_id TEXT NOT NULL REFERENCES spaces (id),
    frequency TEXT NOT NULL CHECK (frequency IN ('daily', 'weekly')),
    interval_count INTEGER NOT NULL CHECK (interval_count >= 1),
    -- ISO weekday numbers (1 = Monday), comma-separated; empty for a daily series.
    weekdays TEXT NOT NULL,
    until_date DATE,
    occurrences INTEGER,
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX booking_series_user ON booking_series (user_id);
CREATE TABLE booking_series_dates (
    booking_id TEXT PRIMARY KEY NOT NULL REFERENCES bookings (id) ON DELETE CASCADE,
    series_id TEXT NOT NULL REFERENCES booking_series (id) ON DELETE CASCADE
);
CREATE INDEX booking_series_dates_series ON booking_series_dates (series_id);
