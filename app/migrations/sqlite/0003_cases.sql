-- Cases: complaints from citizens and the follow-ups of bad ratings, their append-only
-- event log, photos, views of complainants' contact details, and rating appeals.
--
-- A case row is the current state, derived from its events: every change to it is made in
-- the same transaction as the event that records it, and only if the row's `version` is
-- still the one the actor saw (two people acting at once: one succeeds, one is told).

-- The number on a staff member's badge, as shown at the counter; a complaint may name it.
ALTER TABLE staff ADD COLUMN badge TEXT;
CREATE UNIQUE INDEX staff_by_badge ON staff (badge) WHERE badge IS NOT NULL;

CREATE TABLE cases (
    id                    INTEGER PRIMARY KEY,
    kind                  TEXT    NOT NULL CHECK (kind IN ('complaint', 'rating_followup')),
    -- SHA-256 of the citizen's tracking token; the token itself is never stored.
    token_hash            TEXT    UNIQUE,
    -- One form, one complaint: a replayed form is refused.
    submission_id         TEXT    UNIQUE,
    category              TEXT,
    hall_id               INTEGER REFERENCES halls(id),
    counter_id            INTEGER REFERENCES counters(id),
    rating_id             INTEGER UNIQUE REFERENCES ratings(id),
    occurred_on           TEXT,
    occurred_at           TEXT,
    description           TEXT    NOT NULL,
    staff_named           TEXT,
    anonymous             BOOLEAN NOT NULL,
    complainant_name      TEXT,
    complainant_email     TEXT,
    complainant_phone     TEXT,
    locale                TEXT    NOT NULL,
    status                TEXT    NOT NULL CHECK (status IN ('submitted', 'accepted', 'assigned',
                              'transfer_pending', 'replied', 'reopened', 'closed', 'rejected')),
    department_id         INTEGER REFERENCES departments(id),
    pending_department_id INTEGER REFERENCES departments(id),
    status_before_transfer TEXT,
    first_responder_id    INTEGER REFERENCES staff(id),
    handler_id            INTEGER REFERENCES staff(id),
    escalated             BOOLEAN NOT NULL DEFAULT FALSE,
    due_on                TEXT,
    version               INTEGER NOT NULL DEFAULT 0,
    created_at            INTEGER NOT NULL,
    updated_at            INTEGER NOT NULL,
    CHECK (anonymous OR complainant_name IS NOT NULL OR kind = 'rating_followup')
);
CREATE INDEX cases_by_department ON cases (department_id, status);
CREATE INDEX cases_by_pending_department ON cases (pending_department_id) WHERE pending_department_id IS NOT NULL;
CREATE INDEX cases_by_handler ON cases (handler_id);
CREATE INDEX cases_by_status ON cases (status, created_at);

-- Staff a complaint names: they never see it and are never given it.
CREATE TABLE case_named_staff (
    case_id   INTEGER NOT NULL REFERENCES cases(id),
    staff_id  INTEGER NOT NULL REFERENCES staff(id),
    PRIMARY KEY (case_id, staff_id)
);
CREATE INDEX case_named_staff_by_staff ON case_named_staff (staff_id);

CREATE TABLE case_events (
    id            INTEGER PRIMARY KEY,
    case_id       INTEGER NOT NULL REFERENCES cases(id),
    at            INTEGER NOT NULL,
    -- NULL: the citizen or the system.
    actor_id      INTEGER REFERENCES staff(id),
    kind          TEXT    NOT NULL,
    from_status   TEXT,
    to_status     TEXT,
    -- Shown to the citizen on the tracking page.
    public        BOOLEAN NOT NULL,
    body          TEXT,
    -- A second text: where to go instead (reject), how it was followed up (follow-up).
    detail        TEXT,
    department_id INTEGER REFERENCES departments(id),
    staff_id      INTEGER REFERENCES staff(id)
);
CREATE INDEX case_events_by_case ON case_events (case_id, id);
CREATE TRIGGER case_events_are_never_edited BEFORE UPDATE ON case_events
BEGIN SELECT RAISE(ABORT, 'case events are append-only'); END;
CREATE TRIGGER case_events_are_never_deleted BEFORE DELETE ON case_events
BEGIN SELECT RAISE(ABORT, 'case events are append-only'); END;

-- Photos, metadata already stripped; the bytes live in the photo storage under `id`.
-- A photo is uploaded before its complaint is sent (case_id NULL) and claimed by it once.
CREATE TABLE photos (
    id          TEXT    NOT NULL PRIMARY KEY,
    case_id     INTEGER REFERENCES cases(id),
    kind        TEXT    NOT NULL CHECK (kind IN ('jpeg', 'png', 'webp')),
    size        INTEGER NOT NULL,
    created_at  INTEGER NOT NULL
);
CREATE INDEX photos_by_case ON photos (case_id);

-- Every time a complainant's contact details were shown, and to whom.
CREATE TABLE contact_views (
    id        INTEGER PRIMARY KEY,
    case_id   INTEGER NOT NULL REFERENCES cases(id),
    staff_id  INTEGER NOT NULL REFERENCES staff(id),
    at        INTEGER NOT NULL
);
CREATE INDEX contact_views_by_case ON contact_views (case_id);
CREATE TRIGGER contact_views_are_never_edited BEFORE UPDATE ON contact_views
BEGIN SELECT RAISE(ABORT, 'the contact view log is append-only'); END;
CREATE TRIGGER contact_views_are_never_deleted BEFORE DELETE ON contact_views
BEGIN SELECT RAISE(ABORT, 'the contact view log is append-only'); END;

-- A bad rating (1 or 2) opens a follow-up case in the counter's department, in the same
-- transaction as the rating itself.
CREATE TRIGGER bad_ratings_open_a_follow_up AFTER INSERT ON ratings WHEN NEW.level <= 2
BEGIN
    INSERT INTO cases (kind, rating_id, counter_id, hall_id, department_id, description,
                       anonymous, locale, status, created_at, updated_at)
    SELECT 'rating_followup', NEW.id, NEW.counter_id, NEW.hall_id, c.department_id,
           COALESCE(NEW.comment, ''), TRUE, 'zh-Hant', 'submitted', NEW.created_at, NEW.created_at
    FROM counters c WHERE c.id = NEW.counter_id;
END;

-- Staff may appeal a rating they believe malicious; a supervisor decides. An upheld appeal
-- keeps the rating stored but takes it out of the statistics.
CREATE TABLE rating_appeals (
    id           INTEGER PRIMARY KEY,
    rating_id    INTEGER NOT NULL UNIQUE REFERENCES ratings(id),
    case_id      INTEGER NOT NULL REFERENCES cases(id),
    staff_id     INTEGER NOT NULL REFERENCES staff(id),
    reason       TEXT    NOT NULL,
    created_at   INTEGER NOT NULL,
    status       TEXT    NOT NULL CHECK (status IN ('pending', 'upheld', 'dismissed')),
    decided_by   INTEGER REFERENCES staff(id),
    decided_at   INTEGER,
    -- What the statistics leave out once upheld: counter, office day and level.
    counter_id   INTEGER NOT NULL REFERENCES counters(id),
    day          TEXT    NOT NULL,
    level        INTEGER NOT NULL
);
CREATE INDEX rating_appeals_upheld ON rating_appeals (counter_id, day) WHERE status = 'upheld';
