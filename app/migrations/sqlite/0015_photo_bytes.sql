-- Complaint photos' bytes in the database (PostgreSQL's default; on SQLite, where one
-- server owns the file, photos stay in pack files unless asked otherwise).
CREATE TABLE photo_bytes (
    key   TEXT PRIMARY KEY,
    bytes BLOB NOT NULL
);
