-- Counterpoint foundation schema (SQLite). Times are Unix milliseconds (UTC);
-- calendar days are 'YYYY-MM-DD' in the office's time zone.

CREATE TABLE departments (
    id            INTEGER PRIMARY KEY,
    code          TEXT    NOT NULL UNIQUE,
    name_zh_hant  TEXT    NOT NULL,
    name_zh_hans  TEXT    NOT NULL,
    name_en       TEXT    NOT NULL,
    sort_order    INTEGER NOT NULL DEFAULT 0
);

CREATE TABLE halls (
    id            INTEGER PRIMARY KEY,
    code          TEXT    NOT NULL UNIQUE,
    name_zh_hant  TEXT    NOT NULL,
    name_zh_hans  TEXT    NOT NULL,
    name_en       TEXT    NOT NULL,
    sort_order    INTEGER NOT NULL DEFAULT 0
);

CREATE TABLE counters (
    id            INTEGER PRIMARY KEY,
    code          TEXT    NOT NULL UNIQUE,
    hall_id       INTEGER NOT NULL REFERENCES halls(id),
    department_id INTEGER NOT NULL REFERENCES departments(id),
    name_zh_hant  TEXT    NOT NULL,
    name_zh_hans  TEXT    NOT NULL,
    name_en       TEXT    NOT NULL,
    sort_order    INTEGER NOT NULL DEFAULT 0,
    retired_at    INTEGER
);

CREATE TABLE service_items (
    id                INTEGER PRIMARY KEY,
    code              TEXT    NOT NULL UNIQUE,
    department_id     INTEGER NOT NULL REFERENCES departments(id),
    name_zh_hant      TEXT    NOT NULL,
    name_zh_hans      TEXT    NOT NULL,
    name_en           TEXT    NOT NULL,
    time_limit_days   INTEGER NOT NULL CHECK (time_limit_days >= 0),
    materials_zh_hant TEXT    NOT NULL,
    materials_zh_hans TEXT    NOT NULL,
    materials_en      TEXT    NOT NULL
);

CREATE TABLE staff (
    id            INTEGER PRIMARY KEY,
    username      TEXT    NOT NULL UNIQUE,
    display_name  TEXT    NOT NULL,
    role          TEXT    NOT NULL CHECK (role IN ('counter_staff', 'department_head', 'supervisor', 'administrator')),
    department_id INTEGER REFERENCES departments(id),
    password_hash TEXT    NOT NULL,
    active        BOOLEAN NOT NULL DEFAULT TRUE,
    created_at    INTEGER NOT NULL
);

CREATE TABLE calendar_days (
    day   TEXT NOT NULL PRIMARY KEY,
    kind  TEXT NOT NULL CHECK (kind IN ('holiday', 'workday')),
    name  TEXT NOT NULL
);

-- Ratings are append-only: never edited, never deleted (see the triggers below).
CREATE TABLE ratings (
    id          INTEGER PRIMARY KEY,
    counter_id  INTEGER NOT NULL REFERENCES counters(id),
    hall_id     INTEGER NOT NULL REFERENCES halls(id),
    level       INTEGER NOT NULL CHECK (level BETWEEN 1 AND 5),
    tags        INTEGER NOT NULL DEFAULT 0,
    comment     TEXT,
    ticket      TEXT,
    created_at  INTEGER NOT NULL,
    -- The office day: queue tickets start again every day, so one ticket, one rating, per
    -- hall and day.
    day         TEXT    NOT NULL,
    UNIQUE (hall_id, day, ticket)
);
CREATE INDEX ratings_by_counter_time ON ratings (counter_id, created_at);

CREATE TRIGGER ratings_are_never_edited BEFORE UPDATE ON ratings
BEGIN SELECT RAISE(ABORT, 'ratings are append-only'); END;
CREATE TRIGGER ratings_are_never_deleted BEFORE DELETE ON ratings
BEGIN SELECT RAISE(ABORT, 'ratings are append-only'); END;

-- Counts per counter, office day and level, kept in the same transaction as the ratings,
-- so statistics never scan the ratings table.
CREATE TABLE rating_daily (
    counter_id  INTEGER NOT NULL REFERENCES counters(id),
    day         TEXT    NOT NULL,
    n1 INTEGER NOT NULL DEFAULT 0,
    n2 INTEGER NOT NULL DEFAULT 0,
    n3 INTEGER NOT NULL DEFAULT 0,
    n4 INTEGER NOT NULL DEFAULT 0,
    n5 INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (counter_id, day)
);

-- The public numbers come from these counts: they only ever grow.
CREATE TRIGGER rating_daily_is_never_deleted BEFORE DELETE ON rating_daily
BEGIN SELECT RAISE(ABORT, 'rating counts only grow'); END;
CREATE TRIGGER rating_daily_only_grows BEFORE UPDATE ON rating_daily
WHEN NEW.n1 < OLD.n1 OR NEW.n2 < OLD.n2 OR NEW.n3 < OLD.n3 OR NEW.n4 < OLD.n4 OR NEW.n5 < OLD.n5
  OR NEW.counter_id <> OLD.counter_id OR NEW.day <> OLD.day
BEGIN SELECT RAISE(ABORT, 'rating counts only grow'); END;
