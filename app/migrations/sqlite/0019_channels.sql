-- Channels other software files complaints through (a hotline's system, an app speaking
-- Open311): each holds one API key, kept as its SHA-256, shown to the administrator once.
-- A revoked channel's key is refused from the next request.
CREATE TABLE channels (
    id           INTEGER PRIMARY KEY,
    name         TEXT    NOT NULL,
    key_hash     TEXT    NOT NULL UNIQUE,
    created_at   INTEGER NOT NULL,
    revoked_at   INTEGER,
    last_used_at INTEGER
);
-- The channel a complaint came through; none: the web form.
ALTER TABLE cases ADD COLUMN channel_id INTEGER REFERENCES channels(id);
-- A complaint staff entered for a citizen who telephoned, wrote, mailed or came in
-- ('telephone', 'letter', 'email', 'in_person'), and the day it was received (its
-- deadlines run from that day); none: the citizen filed it.
ALTER TABLE cases ADD COLUMN intake TEXT CHECK (intake IN ('telephone', 'letter', 'email', 'in_person'));
ALTER TABLE cases ADD COLUMN received_on TEXT;
