DROP TABLE hub_snapshot_versions;
