-- Statistics: ratings per counter, office day and hour of the day, for the time-of-day by
-- weekday heatmap; kept in the same transaction as the ratings, like rating_daily.

CREATE TABLE rating_hours (
    counter_id  BIGINT NOT NULL REFERENCES counters(id),
    day         TEXT   NOT NULL,
    hour        BIGINT NOT NULL CHECK (hour BETWEEN 0 AND 23),
    n           BIGINT NOT NULL DEFAULT 0,
    good        BIGINT NOT NULL DEFAULT 0,
    PRIMARY KEY (counter_id, day, hour)
);

-- Ratings stored before this table: the offices run on UTC+8 (no daylight saving).
INSERT INTO rating_hours (counter_id, day, hour, n, good)
SELECT counter_id, day, CAST(EXTRACT(HOUR FROM to_timestamp(created_at / 1000.0) AT TIME ZONE 'UTC' + INTERVAL '8 hours') AS BIGINT),
       COUNT(*), SUM(CASE WHEN level >= 3 THEN 1 ELSE 0 END)
FROM ratings GROUP BY 1, 2, 3;

CREATE INDEX rating_daily_by_day ON rating_daily (day);

-- The statistics read the cases of a period, for the whole centre or one unit.
CREATE INDEX cases_by_created ON cases (created_at);
CREATE INDEX cases_by_counter_created ON cases (counter_id, created_at);
CREATE INDEX cases_by_hall_created ON cases (hall_id, created_at);
