-- One counter per throttled key (a hash of an account's address, a client address or a known
-- device, prefixed with what is throttled): attempts within the window that ends at
-- window_ends_at. Taking an attempt is one upsert, so concurrent requests and several service
-- instances count exactly. Replaces the per-failure rows, which were read before the password
-- check and written after it.
DROP TABLE login_failures;
CREATE TABLE throttle_counters (
    key_hash TEXT PRIMARY KEY,
    window_ends_at TIMESTAMP NOT NULL,
    attempts INTEGER NOT NULL
);
CREATE INDEX throttle_counters_window_ends ON throttle_counters (window_ends_at);
