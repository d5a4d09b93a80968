-- The catalogue's version: one number that every change of operators, hubs, their hours and
-- closures, spaces, doors and door links raises, so that every service instance can tell
-- with one read whether the catalogue it keeps in memory is still the database's.
CREATE TABLE catalogue_version (
    id INTEGER PRIMARY KEY NOT NULL CHECK (id = 1),
    version BIGINT NOT NULL
);
INSERT INTO catalogue_version (id, version) VALUES (1, 1);

-- SQLite has no statement triggers: one per table and kind of change.
CREATE TRIGGER operators_insert_raises_catalogue_version AFTER INSERT ON operators
BEGIN UPDATE catalogue_version SET version = version + 1 WHERE id = 1; END;
CREATE TRIGGER operators_update_raises_catalogue_version AFTER UPDATE ON operators
BEGIN UPDATE catalogue_version SET version = version + 1 WHERE id = 1; END;
CREATE TRIGGER operators_delete_raises_catalogue_version AFTER DELETE ON operators
BEGIN UPDATE catalogue_version SET version = version + 1 WHERE id = 1; END;
CREATE TRIGGER hubs_insert_raises_catalogue_version AFTER INSERT ON hubs
BEGIN UPDATE catalogue_version SET version = version + 1 WHERE id = 1; END;
CREATE TRIGGER hubs_update_raises_catalogue_version AFTER UPDATE ON hubs
BEGIN UPDATE catalogue_version SET version = version + 1 WHERE id = 1; END;
CREATE TRIGGER hubs_delete_raises_catalogue_version AFTER DELETE ON hubs
BEGIN UPDATE catalogue_version SET version = version + 1 WHERE id = 1; END;
CREATE TRIGGER opening_hours_insert_raises_catalogue_version AFTER INSERT ON opening_hours
BEGIN UPDATE catalogue_version SET version = version + 1 WHERE id = 1; END;
CREATE TRIGGER opening_hours_update_raises_catalogue_version AFTER UPDATE ON opening_hours
BEGIN UPDATE catalogue_version SET version = version + 1 WHERE id = 1; END;
CREATE TRIGGER opening_hours_delete_raises_catalogue_version AFTER DELETE ON opening_hours
BEGIN UPDATE catalogue_version SET version = version + 1 WHERE id = 1; END;
CREATE TRIGGER closures_insert_raises_catalogue_version AFTER INSERT ON closures
BEGIN UPDATE catalogue_version SET version = version + 1 WHERE id = 1; END;
CREATE TRIGGER closures_update_raises_catalogue_version AFTER UPDATE ON closures
BEGIN UPDATE catalogue_version SET version = version + 1 WHERE id = 1; END;
CREATE TRIGGER closures_delete_raises_catalogue_version AFTER DELETE ON closures
BEGIN UPDATE catalogue_version SET version = version + 1 WHERE id = 1; END;
CREATE TRIGGER spaces_insert_raises_catalogue_version AFTER INSERT ON spaces
BEGIN UPDATE catalogue_version SET version = version + 1 WHERE id = 1; END;
CREATE TRIGGER spaces_update_raises_catalogue_version AFTER UPDATE ON spaces
BEGIN UPDATE catalogue_version SET version = version + 1 WHERE id = 1; END;
CREATE TRIGGER spaces_delete_raises_catalogue_version AFTER DELETE ON spaces
BEGIN UPDATE catalogue_version SET version = version + 1 WHERE id = 1; END;
CREATE TRIGGER doors_insert_raises_catalogue_version AFTER INSERT ON doors
BEGIN UPDATE catalogue_version SET version = version + 1 WHERE id = 1; END;
CREATE TRIGGER doors_update_raises_catalogue_version AFTER UPDATE ON doors
BEGIN UPDATE catalogue_version SET version = version + 1 WHERE id = 1; END;
CREATE TRIGGER doors_delete_raises_catalogue_version AFTER DELETE ON doors
BEGIN UPDATE catalogue_version SET version = version + 1 WHERE id = 1; END;
CREATE TRIGGER door_spaces_insert_raises_catalogue_version AFTER INSERT ON door_spaces
BEGIN UPDATE catalogue_version SET version = version + 1 WHERE id = 1; END;
CREATE TRIGGER door_spaces_update_raises_catalogue_version AFTER UPDATE ON door_spaces
BEGIN UPDATE catalogue_version SET version = version + 1 WHERE id = 1; END;
CREATE TRIGGER door_spaces_delete_raises_catalogue_version AFTER DELETE ON door_spaces
BEGIN UPDATE catalogue_version SET version = version + 1 WHERE id = 1; END;
