-- Complaint photos' bytes in the database, so that every app server reads every photo
-- (the default on PostgreSQL; SQLite keeps them in pack files beside the database).
-- The key is the storage's own (random hex), as in the `photos` table's `id`.
CREATE TABLE photo_bytes (
    key   TEXT  PRIMARY KEY,
    bytes BYTEA NOT NULL
);
-- The bytes are already compressed images: storing them as they are saves the CPU that
-- TOAST's compression would spend for nothing.
ALTER TABLE photo_bytes ALTER COLUMN bytes SET STORAGE EXTERNAL;
