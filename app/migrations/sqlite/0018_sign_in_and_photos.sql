-- Sessions end when left idle: when each was last used (written at most once a minute).
ALTER TABLE staff_sessions ADD COLUMN last_seen_at INTEGER NOT NULL DEFAULT 0;
UPDATE staff_sessions SET last_seen_at = created_at;
-- A password an administrator set is changed by its owner at the next sign-in.
ALTER TABLE staff ADD COLUMN must_change_password BOOLEAN NOT NULL DEFAULT FALSE;
-- Locks grow longer for a name and network locked again within a day.
ALTER TABLE login_failures ADD COLUMN locks INTEGER NOT NULL DEFAULT 0;
ALTER TABLE login_failures ADD COLUMN last_lock_at INTEGER;
-- Unsent photos are counted per client network (its /24 or /48), never its address.
ALTER TABLE photos ADD COLUMN uploaded_from TEXT;
-- Second factors: an authenticator's secret (base32; unconfirmed until its first code is
-- typed), the last time step used (each code works once), and one-use recovery codes
-- kept as SHA-256.
CREATE TABLE staff_second_factors (
    staff_id     INTEGER NOT NULL PRIMARY KEY REFERENCES staff(id),
    secret       TEXT   NOT NULL,
    confirmed_at INTEGER,
    last_step    INTEGER NOT NULL DEFAULT 0
);
CREATE TABLE staff_recovery_codes (
    staff_id  INTEGER NOT NULL REFERENCES staff(id),
    code_hash TEXT   NOT NULL,
    used_at   INTEGER,
    PRIMARY KEY (staff_id, code_hash)
);
-- A session whose password was right but whose code is still to come, and one that must
-- set up a second factor (its role requires one) before anything else.
ALTER TABLE staff_sessions ADD COLUMN awaiting_code BOOLEAN NOT NULL DEFAULT FALSE;
ALTER TABLE staff_sessions ADD COLUMN needs_second_factor BOOLEAN NOT NULL DEFAULT FALSE;
