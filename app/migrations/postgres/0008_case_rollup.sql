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
    level      BIGINT NOT NULL CHECK (level BETWEEN 0 AND 3),
    unit_id    BIGINT NOT NULL,
    -- The office day the cases were filed (YYYY-MM-DD).
    day        TEXT    NOT NULL,
    complaints           BIGINT NOT NULL DEFAULT 0,
    cat_1                BIGINT NOT NULL DEFAULT 0,
    cat_2                BIGINT NOT NULL DEFAULT 0,
    cat_3                BIGINT NOT NULL DEFAULT 0,
    cat_4                BIGINT NOT NULL DEFAULT 0,
    cat_5                BIGINT NOT NULL DEFAULT 0,
    cat_6                BIGINT NOT NULL DEFAULT 0,
    cat_7                BIGINT NOT NULL DEFAULT 0,
    cat_8                BIGINT NOT NULL DEFAULT 0,
    cat_9                BIGINT NOT NULL DEFAULT 0,
    cat_10               BIGINT NOT NULL DEFAULT 0,
    cat_11               BIGINT NOT NULL DEFAULT 0,
    cat_12               BIGINT NOT NULL DEFAULT 0,
    accepted_on_time     BIGINT NOT NULL DEFAULT 0,
    accept_counted       BIGINT NOT NULL DEFAULT 0,
    replied_on_time      BIGINT NOT NULL DEFAULT 0,
    reply_counted        BIGINT NOT NULL DEFAULT 0,
    reopened             BIGINT NOT NULL DEFAULT 0,
    replied              BIGINT NOT NULL DEFAULT 0,
    substantiated        BIGINT NOT NULL DEFAULT 0,
    found                BIGINT NOT NULL DEFAULT 0,
    followed_up_on_time  BIGINT NOT NULL DEFAULT 0,
    follow_up_counted    BIGINT NOT NULL DEFAULT 0,
    closed               BIGINT NOT NULL DEFAULT 0,
    PRIMARY KEY (level, day, unit_id)
);

CREATE TABLE case_rollup_close (
    level      BIGINT NOT NULL,
    unit_id    BIGINT NOT NULL,
    day        TEXT    NOT NULL,
    days       BIGINT NOT NULL,
    n          BIGINT NOT NULL,
    PRIMARY KEY (level, unit_id, day, days)
);

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
    case_id    BIGINT NOT NULL PRIMARY KEY
);
CREATE FUNCTION mark_case_for_rollup() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO case_rollup_dirty (case_id) VALUES (NEW.case_id) ON CONFLICT DO NOTHING;
    RETURN NULL;
END $$;
CREATE FUNCTION mark_new_case_for_rollup() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO case_rollup_dirty (case_id) VALUES (NEW.id) ON CONFLICT DO NOTHING;
    RETURN NULL;
END $$;
CREATE TRIGGER cases_mark_rollup AFTER INSERT ON cases
FOR EACH ROW EXECUTE FUNCTION mark_new_case_for_rollup();
CREATE TRIGGER case_events_mark_rollup AFTER INSERT ON case_events
FOR EACH ROW WHEN (NEW.kind <> 'submit') EXECUTE FUNCTION mark_case_for_rollup();
CREATE TRIGGER findings_mark_rollup AFTER INSERT ON findings
FOR EACH ROW EXECUTE FUNCTION mark_case_for_rollup();
