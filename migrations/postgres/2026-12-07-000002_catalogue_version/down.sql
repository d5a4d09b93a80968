DROP TRIGGER IF EXISTS operators_raises_catalogue_version ON operators;
DROP TRIGGER IF EXISTS hubs_raises_catalogue_version ON hubs;
DROP TRIGGER IF EXISTS opening_hours_raises_catalogue_version ON opening_hours;
DROP TRIGGER IF EXISTS closures_raises_catalogue_version ON closures;
DROP TRIGGER IF EXISTS spaces_raises_catalogue_version ON spaces;
DROP TRIGGER IF EXISTS doors_raises_catalogue_version ON doors;
DROP TRIGGER IF EXISTS door_spaces_raises_catalogue_version ON door_spaces;
DROP FUNCTION raise_catalogue_version();
DROP TABLE catalogue_version;
