-- The catalogue's version: one number that every change of operators, hubs, their hours and
-- closures, spaces, doors and door links raises, so that every service instance can tell
-- with one read whether the catalogue it keeps in memory is still the database's.
CREATE TABLE catalogue_version (
    id INTEGER PRIMARY KEY NOT NULL CHECK (id = 1),
    version BIGINT NOT NULL
);
INSERT INTO catalogue_version (id, version) VALUES (1, 1);

CREATE FUNCTION raise_catalogue_version() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE catalogue_version SET version = version + 1 WHERE id = 1;
    RETURN NULL;
END
$$;

-- Once per statement: a change of many rows raises the version once. The version row stays
-- locked until the changing transaction ends, so catalogue changes (by staff, a few a year) are
-- made one after the other across instances; bookings never touch these tables.
CREATE TRIGGER operators_raises_catalogue_version AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON operators
    FOR EACH STATEMENT EXECUTE FUNCTION raise_catalogue_version();
CREATE TRIGGER hubs_raises_catalogue_version AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON hubs
    FOR EACH STATEMENT EXECUTE FUNCTION raise_catalogue_version();
CREATE TRIGGER opening_hours_raises_catalogue_version AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON opening_hours
    FOR EACH STATEMENT EXECUTE FUNCTION raise_catalogue_version();
CREATE TRIGGER closures_raises_catalogue_version AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON closures
    FOR EACH STATEMENT EXECUTE FUNCTION raise_catalogue_version();
CREATE TRIGGER spaces_raises_catalogue_version AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON spaces
    FOR EACH STATEMENT EXECUTE FUNCTION raise_catalogue_version();
CREATE TRIGGER doors_raises_catalogue_version AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON doors
    FOR EACH STATEMENT EXECUTE FUNCTION raise_catalogue_version();
CREATE TRIGGER door_spaces_raises_catalogue_version AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON door_spaces
    FOR EACH STATEMENT EXECUTE FUNCTION raise_catalogue_version();
