-- Whole months, so that a year of statistics reads twelve rows per unit instead of 365:
-- ratings per counter and month, ratings per counter, month, weekday and hour (the
-- heatmap), and the case roll-ups per unit and month. Only months that are over are built
-- (the statistics read the days of the current month from the daily tables). A month of
-- ratings is built again when a day of it changes (marked by triggers on rating_daily: in
-- practice only when a month ends, or data is loaded for past days); a month of cases when
-- one of its days is rolled up again (app/src/stats/rollup.rs).

CREATE TABLE rating_months (
    month       TEXT   NOT NULL,
    counter_id  BIGINT NOT NULL,
    n1 BIGINT NOT NULL DEFAULT 0,
    n2 BIGINT NOT NULL DEFAULT 0,
    n3 BIGINT NOT NULL DEFAULT 0,
    n4 BIGINT NOT NULL DEFAULT 0,
    n5 BIGINT NOT NULL DEFAULT 0,
    PRIMARY KEY (month, counter_id)
);

CREATE TABLE rating_hour_months (
    month       TEXT   NOT NULL,
    counter_id  BIGINT NOT NULL,
    -- 0 Sunday … 6 Saturday.
    weekday     BIGINT NOT NULL,
    hour        BIGINT NOT NULL,
    n           BIGINT NOT NULL DEFAULT 0,
    good        BIGINT NOT NULL DEFAULT 0,
    PRIMARY KEY (counter_id, month, weekday, hour)
);

CREATE TABLE rating_months_dirty (
    month       TEXT   NOT NULL PRIMARY KEY
);
INSERT INTO rating_months_dirty (month) SELECT DISTINCT substr(day, 1, 7) FROM rating_daily;
CREATE FUNCTION mark_rating_month() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO rating_months_dirty (month) VALUES (substr(NEW.day, 1, 7)) ON CONFLICT DO NOTHING;
    RETURN NULL;
END $$;
CREATE TRIGGER rating_daily_marks_month AFTER INSERT OR UPDATE ON rating_daily
FOR EACH ROW EXECUTE FUNCTION mark_rating_month();

CREATE TABLE case_rollup_months (
    level      BIGINT NOT NULL,
    unit_id    BIGINT NOT NULL,
    month      TEXT    NOT NULL,
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
    PRIMARY KEY (level, month, unit_id)
);

-- Every day is rolled up again once, so that its month is built too.
DELETE FROM case_rollup_days;
