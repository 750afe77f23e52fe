-- Settings administrators change from the browser (e.g. the public address printed on QR
-- codes and in mails' links). Each change is in the audit trail.
CREATE TABLE settings (
    key   TEXT NOT NULL PRIMARY KEY,
    value TEXT NOT NULL
);
