-- A request for a password-reset link, as typed, waiting for the mail job. The request itself
-- writes only this row whatever the address, so neither its answer nor the work behind it tells
-- a known address from an unknown one; the mail job looks the address up afterwards, makes the
-- link for an account that may have one, and deletes the row either way.
CREATE TABLE password_reset_requests (
    id TEXT PRIMARY KEY,
    email TEXT NOT NULL,
    requested_at TIMESTAMP NOT NULL
);
