-- The heatmap of a department over whole months, per weekday and hour, built with the
-- counters' months (rating_hour_months): a department's year then reads some 800 rows
-- instead of its every counter's (a counter never changes department).
CREATE TABLE rating_hour_months_by_department (
    department_id INTEGER NOT NULL,
    month         TEXT    NOT NULL,
    -- 0 Sunday … 6 Saturday.
    weekday       INTEGER NOT NULL,
    hour          INTEGER NOT NULL,
    n             INTEGER NOT NULL DEFAULT 0,
    good          INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (department_id, month, weekday, hour)
) WITHOUT ROWID;

INSERT INTO rating_hour_months_by_department (department_id, month, weekday, hour, n, good)
SELECT c.department_id, m.month, m.weekday, m.hour, SUM(m.n), SUM(m.good)
FROM rating_hour_months m JOIN counters c ON c.id = m.counter_id
GROUP BY c.department_id, m.month, m.weekday, m.hour;

-- The office day the last complete roll-up was made as of (by any server, or the data
-- generator): a server starting on roll-ups made today need not wait for its own first.
CREATE TABLE rollup_runs (
    id     INTEGER PRIMARY KEY CHECK (id = 1),
    as_of  TEXT    NOT NULL
);
