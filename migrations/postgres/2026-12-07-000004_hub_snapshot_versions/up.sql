-- The version of each hub's access snapshot, kept in the database so that every service
-- instance hands a bridge the same version for the same content, and a later version never
-- carries older content (a bridge polls with the version it holds and hears "unchanged" for an
-- equal one). `content_hash`
-- is the hash of the content that has `version`; a new content gets a higher version under the
-- row's lock (see service::bridge_link::snapshot_versions).
CREATE TABLE hub_snapshot_versions (
    hub_id TEXT PRIMARY KEY NOT NULL REFERENCES hubs (id) ON DELETE CASCADE,
    content_hash BIGINT NOT NULL,
    version BIGINT NOT NULL
);
