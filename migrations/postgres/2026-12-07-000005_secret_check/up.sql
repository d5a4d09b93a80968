-- A check value derived from the service's secret key by the first instance that started on
-- this database (before any PIN was made with it). Every instance derives the same hub PIN keys
-- only with the same secret; one with another secret refuses to start instead of handing out
-- PINs the bridges reject (see secrets::SecretKey::check_value).
CREATE TABLE secret_check (
    id INTEGER PRIMARY KEY NOT NULL CHECK (id = 1),
    check_value TEXT NOT NULL
);
