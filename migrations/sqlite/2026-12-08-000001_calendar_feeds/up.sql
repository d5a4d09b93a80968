-- A member's personal calendar feed: a secret address calendar apps subscribe to. Only the
-- SHA-256 of the secret is kept; a member has at most one feed that works (a new one revokes the
-- old), and deleting the account deletes it.
CREATE TABLE calendar_feeds (
    id TEXT PRIMARY KEY NOT NULL,
    user_id TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    token_hash TEXT NOT NULL UNIQUE,
    created_at TIMESTAMP NOT NULL,
    last_used_at TIMESTAMP,
    revoked_at TIMESTAMP
);
CREATE INDEX calendar_feeds_user ON calendar_feeds (user_id);
