-- Staff sign-in: sessions (the cookie holds a random token; only its SHA-256 is stored)
-- and failed attempts per user name, for the lock-out.

CREATE TABLE staff_sessions (
    token_hash  TEXT    NOT NULL PRIMARY KEY,
    staff_id    INTEGER NOT NULL REFERENCES staff(id),
    csrf_token  TEXT    NOT NULL,
    created_at  INTEGER NOT NULL,
    expires_at  INTEGER NOT NULL
);
CREATE INDEX staff_sessions_by_expiry ON staff_sessions (expires_at);

CREATE TABLE login_failures (
    username      TEXT    NOT NULL PRIMARY KEY,
    failures      INTEGER NOT NULL,
    first_failure INTEGER NOT NULL,
    locked_until  INTEGER
);
