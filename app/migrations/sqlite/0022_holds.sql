-- Held ratings (docs/TRANSPARENCY.md, "Stuffing"): a rating that passed the rate limit but
-- came too often from one device or address block, or in a burst at its counter, is
-- stored as any other and held: left out of the statistics until the supervision bureau
-- releases it, or for good once it rejects it. Nothing is deleted: a hold and its decision
-- are rows of their own, each an entry of the public record.
CREATE TABLE rating_holds (
    id         INTEGER PRIMARY KEY,
    -- Written before the rating at intake (so that a held bad rating opens no follow-up),
    -- hence checked at commit.
    rating_id  INTEGER NOT NULL UNIQUE REFERENCES ratings(id) DEFERRABLE INITIALLY DEFERRED,
    -- The rating's counter, office day, hour and level: what the statistics leave out.
    counter_id INTEGER NOT NULL REFERENCES counters(id),
    day        TEXT    NOT NULL,
    hour       INTEGER NOT NULL CHECK (hour BETWEEN 0 AND 23),
    level      INTEGER NOT NULL CHECK (level BETWEEN 1 AND 5),
    reason     TEXT    NOT NULL CHECK (reason IN ('device', 'address', 'counter', 'burst')),
    held_at    INTEGER NOT NULL
);
CREATE INDEX rating_holds_by_counter_day ON rating_holds (counter_id, day);

CREATE TABLE hold_decisions (
    id          INTEGER PRIMARY KEY,
    -- One decision per held rating: a second release is refused here.
    rating_id   INTEGER NOT NULL UNIQUE REFERENCES rating_holds(rating_id),
    decision    TEXT    NOT NULL CHECK (decision IN ('released', 'rejected')),
    reason      TEXT    NOT NULL,
    decided_by  INTEGER NOT NULL REFERENCES staff(id),
    decided_at  INTEGER NOT NULL
);

CREATE TRIGGER rating_holds_are_never_edited BEFORE UPDATE ON rating_holds
BEGIN SELECT RAISE(ABORT, 'holds are append-only'); END;
CREATE TRIGGER rating_holds_are_never_deleted BEFORE DELETE ON rating_holds
BEGIN SELECT RAISE(ABORT, 'holds are append-only'); END;
CREATE TRIGGER hold_decisions_are_never_edited BEFORE UPDATE ON hold_decisions
BEGIN SELECT RAISE(ABORT, 'hold decisions are append-only'); END;
CREATE TRIGGER hold_decisions_are_never_deleted BEFORE DELETE ON hold_decisions
BEGIN SELECT RAISE(ABORT, 'hold decisions are append-only'); END;

CREATE TRIGGER rating_holds_are_recorded AFTER INSERT ON rating_holds BEGIN
    INSERT INTO ledger_input VALUES ('hold', NEW.id,
        NEW.rating_id || '|' || NEW.counter_id || '|' || NEW.day || '|' || NEW.hour || '|' || NEW.level
            || '|' || NEW.reason || '|' || NEW.held_at,
        '');
END;
CREATE TRIGGER hold_decisions_are_recorded AFTER INSERT ON hold_decisions BEGIN
    INSERT INTO ledger_input VALUES ('hold_decision', NEW.id,
        NEW.rating_id || '|' || NEW.decision || '|' || NEW.decided_at,
        NEW.decided_by || '|' || NEW.reason);
END;

-- A held bad rating opens its follow-up only once released (from the day of release).
DROP TRIGGER bad_ratings_open_a_follow_up;
CREATE TRIGGER bad_ratings_open_a_follow_up AFTER INSERT ON ratings WHEN NEW.level <= 2
BEGIN
    INSERT INTO cases (kind, rating_id, counter_id, hall_id, department_id, description,
                       anonymous, locale, status, created_at, updated_at)
    SELECT 'rating_followup', NEW.id, NEW.counter_id, NEW.hall_id, c.department_id,
           COALESCE(NEW.comment, ''), TRUE, 'zh-Hant', 'submitted', NEW.created_at, NEW.created_at
    FROM counters c
    WHERE c.id = NEW.counter_id AND NOT EXISTS (SELECT 1 FROM rating_holds h WHERE h.rating_id = NEW.id);
END;
CREATE TRIGGER released_bad_ratings_open_a_follow_up AFTER INSERT ON hold_decisions
WHEN NEW.decision = 'released'
BEGIN
    INSERT INTO cases (kind, rating_id, counter_id, hall_id, department_id, description,
                       anonymous, locale, status, created_at, updated_at)
    SELECT 'rating_followup', r.id, r.counter_id, r.hall_id, c.department_id,
           COALESCE(r.comment, ''), TRUE, 'zh-Hant', 'submitted', NEW.decided_at, NEW.decided_at
    FROM ratings r JOIN counters c ON c.id = r.counter_id
    WHERE r.id = NEW.rating_id AND r.level <= 2
      AND NOT EXISTS (SELECT 1 FROM cases k WHERE k.rating_id = r.id);
END;

-- What the statistics leave out: ratings taken out by an upheld appeal, and held ratings
-- not released (waiting for a decision, or rejected). `held` says which.
CREATE VIEW ratings_left_out (rating_id, counter_id, day, level, held) AS
SELECT rating_id, counter_id, day, level, 0 FROM rating_appeals WHERE status = 'upheld'
UNION ALL
SELECT h.rating_id, h.counter_id, h.day, h.level, 1 FROM rating_holds h
WHERE NOT EXISTS (SELECT 1 FROM hold_decisions d WHERE d.rating_id = h.rating_id AND d.decision = 'released')
  AND NOT EXISTS (SELECT 1 FROM rating_appeals a WHERE a.rating_id = h.rating_id AND a.status = 'upheld');
