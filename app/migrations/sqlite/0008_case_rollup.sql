-- Statistics of cases without reading the cases: per office day of filing and per unit
-- (the whole centre, each hall, department and counter), the sums of how its cases were
-- handled (app/src/stats/metrics.rs `CaseCounts`: complaints, per category in
-- Category::ALL order, each rate's done and counted, closed), and how many closed cases
-- took how many working days (for the median). The roll-up (app/src/stats/rollup.rs)
-- recomputes a day from its cases when one of them changed, when a stage still open
-- passes its limit (`changes_on`), or when the calendar or the time limits changed
-- (`rules`).

CREATE TABLE case_rollup (
    -- 0 the whole centre (unit 0), 1 a hall, 2 a department, 3 a counter.
    level      INTEGER NOT NULL CHECK (level BETWEEN 0 AND 3),
    unit_id    INTEGER NOT NULL,
    -- The office day the cases were filed (YYYY-MM-DD).
    day        TEXT    NOT NULL,
    complaints           INTEGER NOT NULL DEFAULT 0,
    cat_1                INTEGER NOT NULL DEFAULT 0,
    cat_2                INTEGER NOT NULL DEFAULT 0,
    cat_3                INTEGER NOT NULL DEFAULT 0,
    cat_4                INTEGER NOT NULL DEFAULT 0,
    cat_5                INTEGER NOT NULL DEFAULT 0,
    cat_6                INTEGER NOT NULL DEFAULT 0,
    cat_7                INTEGER NOT NULL DEFAULT 0,
    cat_8                INTEGER NOT NULL DEFAULT 0,
    cat_9                INTEGER NOT NULL DEFAULT 0,
    cat_10               INTEGER NOT NULL DEFAULT 0,
    cat_11               INTEGER NOT NULL DEFAULT 0,
    cat_12               INTEGER NOT NULL DEFAULT 0,
    accepted_on_time     INTEGER NOT NULL DEFAULT 0,
    accept_counted       INTEGER NOT NULL DEFAULT 0,
    replied_on_time      INTEGER NOT NULL DEFAULT 0,
    reply_counted        INTEGER NOT NULL DEFAULT 0,
    reopened             INTEGER NOT NULL DEFAULT 0,
    replied              INTEGER NOT NULL DEFAULT 0,
    substantiated        INTEGER NOT NULL DEFAULT 0,
    found                INTEGER NOT NULL DEFAULT 0,
    followed_up_on_time  INTEGER NOT NULL DEFAULT 0,
    follow_up_counted    INTEGER NOT NULL DEFAULT 0,
    closed               INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (level, day, unit_id)
) WITHOUT ROWID;

CREATE TABLE case_rollup_close (
    level      INTEGER NOT NULL,
    unit_id    INTEGER NOT NULL,
    day        TEXT    NOT NULL,
    days       INTEGER NOT NULL,
    n          INTEGER NOT NULL,
    PRIMARY KEY (level, unit_id, day, days)
) WITHOUT ROWID;

-- Each office day rolled up: as of which day, the next day its numbers change by
-- themselves, and the fingerprint of the calendar and time limits used.
CREATE TABLE case_rollup_days (
    day         TEXT NOT NULL PRIMARY KEY,
    rolled_on   TEXT NOT NULL,
    changes_on  TEXT,
    rules       TEXT NOT NULL
);

-- Cases new or changed since their day was last rolled up: marked by the database itself
-- when a case, an event or a finding is written (a complaint's own 'submit' event adds
-- nothing to its case's mark).
CREATE TABLE case_rollup_dirty (
    case_id    INTEGER NOT NULL PRIMARY KEY
);
CREATE TRIGGER cases_mark_rollup AFTER INSERT ON cases
BEGIN INSERT INTO case_rollup_dirty (case_id) SELECT NEW.id WHERE NOT EXISTS (SELECT 1 FROM case_rollup_dirty WHERE case_id = NEW.id); END;
CREATE TRIGGER case_events_mark_rollup AFTER INSERT ON case_events WHEN NEW.kind <> 'submit'
BEGIN INSERT INTO case_rollup_dirty (case_id) SELECT NEW.case_id WHERE NOT EXISTS (SELECT 1 FROM case_rollup_dirty WHERE case_id = NEW.case_id); END;
CREATE TRIGGER findings_mark_rollup AFTER INSERT ON findings
BEGIN INSERT INTO case_rollup_dirty (case_id) SELECT NEW.case_id WHERE NOT EXISTS (SELECT 1 FROM case_rollup_dirty WHERE case_id = NEW.case_id); END;
