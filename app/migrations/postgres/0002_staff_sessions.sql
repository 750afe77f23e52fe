-- Staff sign-in: sessions (the cookie holds a random token; only its SHA-256 is stored)
-- and failed attempts per user name, for the lock-out.

CREATE TABLE staff_sessions (
    token_hash  TEXT    NOT NULL PRIMARY KEY,
    staff_id    BIGINT NOT NULL REFERENCES staff(id),
    csrf_token  TEXT    NOT NULL,
    created_at  BIGINT  NOT NULL,
    expires_at  BIGINT  NOT NULL
);
CREATE INDEX staff_sessions_by_expiry ON staff_sessions (expires_at);

CREATE TABLE login_failures (
    username      TEXT    NOT NULL PRIMARY KEY,
    failures      BIGINT  NOT NULL,
    first_failure BIGINT  NOT NULL,
    locked_until  BIGINT
);
