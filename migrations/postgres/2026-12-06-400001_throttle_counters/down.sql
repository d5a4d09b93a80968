DROP TABLE throttle_counters;
CREATE TABLE login_failures (
    id TEXT PRIMARY KEY,
    key_hash TEXT NOT NULL,
    failed_at TIMESTAMP NOT NULL
);
CREATE INDEX login_failures_key ON login_failures (key_hash, failed_at);
CREATE INDEX login_failures_at ON login_failures (failed_at);
