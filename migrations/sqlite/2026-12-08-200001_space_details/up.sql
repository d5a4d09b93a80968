-- What a member wants to know about a space before booking it (issue 16): a description, its
-- equipment and its accessibility facts. The two sets are closed sets of words
-- (domain::space_details), stored space-separated in canonical order: a hub has a dozen
-- spaces, the day view filters them after one read of the hub's rows, and a change raises the
-- catalogue version through the spaces triggers that already exist.
ALTER TABLE spaces ADD COLUMN description TEXT NOT NULL DEFAULT '';
ALTER TABLE spaces ADD COLUMN equipment TEXT NOT NULL DEFAULT '';
ALTER TABLE spaces ADD COLUMN accessibility TEXT NOT NULL DEFAULT '';

-- Up to three photos per space, kept in the database because service instances share nothing
-- else. The image is the server's re-encoded JPEG (never the upload), addressed by its content
-- hash so it can be cached for a year. Position 1..3 is unique per space: the limit holds even
-- for two uploads at once.
CREATE TABLE space_photos (
    id TEXT PRIMARY KEY NOT NULL,
    space_id TEXT NOT NULL REFERENCES spaces (id) ON DELETE CASCADE,
    position INTEGER NOT NULL CHECK (position BETWEEN 1 AND 3),
    image BLOB NOT NULL,
    width INTEGER NOT NULL,
    height INTEGER NOT NULL,
    content_hash TEXT NOT NULL,
    alt_de TEXT NOT NULL CHECK (alt_de <> ''),
    alt_en TEXT,
    created_at TIMESTAMP NOT NULL,
    UNIQUE (space_id, position)
);
