-- Whole months, so that a year of statistics reads twelve rows per unit instead of 365:
-- ratings per counter and month, ratings per counter, month, weekday and hour (the
-- heatmap), and the case roll-ups per unit and month. Only months that are over are built
-- (the statistics read the days of the current month from the daily tables). A month of
-- ratings is built again when a day of it changes (marked by triggers on rating_daily: in
-- practice only when a month ends, or data is loaded for past days); a month of cases when
-- one of its days is rolled up again (app/src/stats/rollup.rs).

CREATE TABLE rating_months (
    month       TEXT   NOT NULL,
    counter_id  INTEGER NOT NULL,
    n1 INTEGER NOT NULL DEFAULT 0,
    n2 INTEGER NOT NULL DEFAULT 0,
    n3 INTEGER NOT NULL DEFAULT 0,
    n4 INTEGER NOT NULL DEFAULT 0,
    n5 INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (month, counter_id)
) WITHOUT ROWID;

CREATE TABLE rating_hour_months (
    month       TEXT   NOT NULL,
    counter_id  INTEGER NOT NULL,
    -- 0 Sunday … 6 Saturday.
    weekday     INTEGER NOT NULL,
    hour        INTEGER NOT NULL,
    n           INTEGER NOT NULL DEFAULT 0,
    good        INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (counter_id, month, weekday, hour)
) WITHOUT ROWID;

CREATE TABLE rating_months_dirty (
    month       TEXT   NOT NULL PRIMARY KEY
);
INSERT INTO rating_months_dirty (month) SELECT DISTINCT substr(day, 1, 7) FROM rating_daily;
CREATE TRIGGER rating_daily_new_marks_month AFTER INSERT ON rating_daily
BEGIN INSERT INTO rating_months_dirty (month) SELECT substr(NEW.day, 1, 7)
    WHERE NOT EXISTS (SELECT 1 FROM rating_months_dirty WHERE month = substr(NEW.day, 1, 7)); END;
CREATE TRIGGER rating_daily_change_marks_month AFTER UPDATE ON rating_daily
BEGIN INSERT INTO rating_months_dirty (month) SELECT substr(NEW.day, 1, 7)
    WHERE NOT EXISTS (SELECT 1 FROM rating_months_dirty WHERE month = substr(NEW.day, 1, 7)); END;

CREATE TABLE case_rollup_months (
    level      INTEGER NOT NULL,
    unit_id    INTEGER NOT NULL,
    month      TEXT    NOT NULL,
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
    PRIMARY KEY (level, month, unit_id)
) WITHOUT ROWID;

-- Every day is rolled up again once, so that its month is built too.
DELETE FROM case_rollup_days;
