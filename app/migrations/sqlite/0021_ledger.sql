-- The public record (docs/TRANSPARENCY.md): every rating, case event, rating appeal and its
-- decision, supervision finding and order is also an entry of one append-only chain, in the
-- same transaction as the change. An entry's body is `kind|ref_id|public fields|commitment`
-- (numbers in decimal, a missing value empty), the commitment being SHA-256 over this
-- database's secret, `|` and the private fields (comments, tickets, staff, texts), so that
-- the public learns nothing private and the rows cannot change unseen. An entry's hash is
-- SHA-256 (lower-case hex) over the previous entry's hash, a line feed and its body; the
-- first entry (genesis) follows 64 zeros. `day`: the UTC day the entry was appended, never
-- before the previous entry's. SHA-256 is `ledger_sha256`, which the server registers on
-- every connection.

-- Never published, never changed: it keeps short private texts (a ticket number) from
-- being guessed through their commitment.
CREATE TABLE ledger_secret (
    one    INTEGER PRIMARY KEY CHECK (one = 1),
    secret TEXT    NOT NULL
);
INSERT INTO ledger_secret (one, secret) VALUES (1, lower(hex(randomblob(32))));

CREATE TABLE ledger (
    id      INTEGER PRIMARY KEY,
    day     TEXT    NOT NULL,
    kind    TEXT    NOT NULL,
    ref_id  INTEGER NOT NULL,
    body    TEXT    NOT NULL,
    hash    TEXT    NOT NULL
);
CREATE INDEX ledger_by_day ON ledger (day);

-- Each finished day's digest, published on /transparency and mailed to witnesses.
CREATE TABLE ledger_digests (
    day           TEXT    NOT NULL PRIMARY KEY,
    entries       INTEGER NOT NULL,
    first_id      INTEGER NOT NULL,
    last_id       INTEGER NOT NULL,
    previous_head TEXT    NOT NULL,
    head          TEXT    NOT NULL,
    published_at  INTEGER NOT NULL
);

-- Appending: insert (kind, ref_id, public_part, private_part) here.
CREATE VIEW ledger_input (kind, ref_id, public_part, private_part) AS SELECT NULL, NULL, NULL, NULL WHERE 0;
CREATE TRIGGER ledger_appends INSTEAD OF INSERT ON ledger_input BEGIN
    INSERT INTO ledger (day, kind, ref_id, body, hash)
    SELECT max(strftime('%Y-%m-%d', 'now'), coalesce(l.day, '')), NEW.kind, NEW.ref_id, b.body,
           ledger_sha256(coalesce(l.hash, '0000000000000000000000000000000000000000000000000000000000000000') || char(10) || b.body)
    FROM (SELECT NEW.kind || '|' || NEW.ref_id || '|' || NEW.public_part || '|' || ledger_sha256(secret || '|' || NEW.private_part) AS body
          FROM ledger_secret) b
    LEFT JOIN (SELECT day, hash FROM ledger ORDER BY id DESC LIMIT 1) l ON 1;
END;

CREATE TRIGGER ledger_is_never_edited BEFORE UPDATE ON ledger
BEGIN SELECT RAISE(ABORT, 'the ledger is append-only'); END;
CREATE TRIGGER ledger_is_never_deleted BEFORE DELETE ON ledger
BEGIN SELECT RAISE(ABORT, 'the ledger is append-only'); END;
CREATE TRIGGER ledger_secret_is_never_edited BEFORE UPDATE ON ledger_secret
BEGIN SELECT RAISE(ABORT, 'the ledger is append-only'); END;
CREATE TRIGGER ledger_secret_is_never_deleted BEFORE DELETE ON ledger_secret
BEGIN SELECT RAISE(ABORT, 'the ledger is append-only'); END;
CREATE TRIGGER ledger_digests_are_never_edited BEFORE UPDATE ON ledger_digests
BEGIN SELECT RAISE(ABORT, 'the ledger is append-only'); END;
CREATE TRIGGER ledger_digests_are_never_deleted BEFORE DELETE ON ledger_digests
BEGIN SELECT RAISE(ABORT, 'the ledger is append-only'); END;

-- What each recorded table appends (the verifier in app/src/store/ledger.rs builds the
-- same bodies from the rows).
-- Ratings, the busiest, append straight to the ledger (what `ledger_appends` does, without
-- the view's extra trigger program for each rating).
CREATE TRIGGER ratings_are_recorded AFTER INSERT ON ratings BEGIN
    INSERT INTO ledger (day, kind, ref_id, body, hash)
    SELECT max(strftime('%Y-%m-%d', 'now'), coalesce(l.day, '')), 'rating', NEW.id, b.body,
           ledger_sha256(coalesce(l.hash, '0000000000000000000000000000000000000000000000000000000000000000') || char(10) || b.body)
    FROM (SELECT 'rating|' || NEW.id || '|' || NEW.counter_id || '|' || NEW.hall_id || '|' || NEW.day || '|' || NEW.level
                 || '|' || NEW.created_at || '|'
                 || ledger_sha256(secret || '|' || NEW.tags || '|' || coalesce(NEW.comment, '') || '|' || coalesce(NEW.ticket, '')) AS body
          FROM ledger_secret) b
    LEFT JOIN (SELECT day, hash FROM ledger ORDER BY id DESC LIMIT 1) l ON 1;
END;
CREATE TRIGGER case_events_are_recorded AFTER INSERT ON case_events BEGIN
    INSERT INTO ledger_input VALUES ('case_event', NEW.id,
        NEW.case_id || '|' || NEW.kind || '|' || coalesce(NEW.from_status, '') || '|' || coalesce(NEW.to_status, '') || '|'
            || (CASE WHEN NEW.public THEN 1 ELSE 0 END) || '|' || coalesce(NEW.department_id, '') || '|' || NEW.at,
        coalesce(NEW.actor_id, '') || '|' || coalesce(NEW.staff_id, '') || '|' || coalesce(NEW.body, '') || '|' || coalesce(NEW.detail, ''));
END;
CREATE TRIGGER rating_appeals_are_recorded AFTER INSERT ON rating_appeals BEGIN
    INSERT INTO ledger_input VALUES ('appeal', NEW.id,
        NEW.rating_id || '|' || NEW.case_id || '|' || NEW.created_at,
        NEW.staff_id || '|' || NEW.reason);
END;
CREATE TRIGGER rating_appeal_decisions_are_recorded AFTER UPDATE OF status ON rating_appeals BEGIN
    INSERT INTO ledger_input VALUES ('appeal_decision', NEW.id,
        NEW.rating_id || '|' || NEW.case_id || '|' || NEW.status || '|' || coalesce(NEW.decided_at, ''),
        coalesce(NEW.decided_by, ''));
END;
CREATE TRIGGER findings_are_recorded AFTER INSERT ON findings BEGIN
    INSERT INTO ledger_input VALUES ('finding', NEW.id,
        NEW.case_id || '|' || NEW.finding || '|' || NEW.measure || '|' || coalesce(NEW.department_id, '') || '|' || NEW.at,
        coalesce(NEW.staff_id, '') || '|' || NEW.reason || '|' || NEW.recorded_by);
END;
CREATE TRIGGER supervision_orders_are_recorded AFTER INSERT ON supervision_orders BEGIN
    INSERT INTO ledger_input VALUES ('order', NEW.id,
        NEW.case_id || '|' || NEW.level || '|' || NEW.reason || '|' || coalesce(NEW.due_on, '') || '|' || NEW.opened_at,
        coalesce(NEW.body, '') || '|' || coalesce(NEW.opened_by, ''));
END;
CREATE TRIGGER supervision_order_closings_are_recorded AFTER UPDATE OF status ON supervision_orders BEGIN
    INSERT INTO ledger_input VALUES ('order_closed', NEW.id,
        NEW.case_id || '|' || coalesce(NEW.closed_at, ''),
        coalesce(NEW.closed_by, '') || '|' || coalesce(NEW.closing_note, ''));
END;

-- A decided appeal and a closed order stay as they are; nothing of them is deleted.
CREATE TRIGGER rating_appeals_change_only_by_decision BEFORE UPDATE ON rating_appeals
WHEN OLD.status <> 'pending' OR NEW.status NOT IN ('upheld', 'dismissed')
  OR NEW.rating_id IS NOT OLD.rating_id OR NEW.case_id IS NOT OLD.case_id OR NEW.staff_id IS NOT OLD.staff_id
  OR NEW.reason IS NOT OLD.reason OR NEW.created_at IS NOT OLD.created_at OR NEW.counter_id IS NOT OLD.counter_id
  OR NEW.day IS NOT OLD.day OR NEW.level IS NOT OLD.level
BEGIN SELECT RAISE(ABORT, 'an appeal changes only by its decision'); END;
CREATE TRIGGER rating_appeals_are_never_deleted BEFORE DELETE ON rating_appeals
BEGIN SELECT RAISE(ABORT, 'appeals are never deleted'); END;
CREATE TRIGGER supervision_orders_change_only_by_closing BEFORE UPDATE ON supervision_orders
WHEN OLD.status <> 'open' OR NEW.status <> 'closed'
  OR NEW.case_id IS NOT OLD.case_id OR NEW.level IS NOT OLD.level OR NEW.reason IS NOT OLD.reason
  OR NEW.due_on IS NOT OLD.due_on OR NEW.body IS NOT OLD.body OR NEW.opened_at IS NOT OLD.opened_at
  OR NEW.opened_by IS NOT OLD.opened_by
BEGIN SELECT RAISE(ABORT, 'an order changes only by its closing'); END;
CREATE TRIGGER supervision_orders_are_never_deleted BEFORE DELETE ON supervision_orders
BEGIN SELECT RAISE(ABORT, 'orders are never deleted'); END;

-- What was recorded before this version: one genesis entry, then every existing row in
-- the order it happened.
INSERT INTO ledger_input VALUES ('genesis', 0, 'counterpoint ledger 1', '');
INSERT INTO ledger_input (kind, ref_id, public_part, private_part)
SELECT kind, ref_id, public_part, private_part FROM (
    SELECT 'rating' AS kind, id AS ref_id, created_at AS at, 1 AS rank,
           counter_id || '|' || hall_id || '|' || day || '|' || level || '|' || created_at AS public_part,
           tags || '|' || coalesce(comment, '') || '|' || coalesce(ticket, '') AS private_part
    FROM ratings
    UNION ALL
    SELECT 'case_event', id, at, 2,
           case_id || '|' || kind || '|' || coalesce(from_status, '') || '|' || coalesce(to_status, '') || '|'
               || (CASE WHEN public THEN 1 ELSE 0 END) || '|' || coalesce(department_id, '') || '|' || at,
           coalesce(actor_id, '') || '|' || coalesce(staff_id, '') || '|' || coalesce(body, '') || '|' || coalesce(detail, '')
    FROM case_events
    UNION ALL
    SELECT 'appeal', id, created_at, 3, rating_id || '|' || case_id || '|' || created_at, staff_id || '|' || reason
    FROM rating_appeals
    UNION ALL
    SELECT 'appeal_decision', id, decided_at, 4,
           rating_id || '|' || case_id || '|' || status || '|' || coalesce(decided_at, ''), coalesce(decided_by, '')
    FROM rating_appeals WHERE status <> 'pending'
    UNION ALL
    SELECT 'finding', id, at, 5,
           case_id || '|' || finding || '|' || measure || '|' || coalesce(department_id, '') || '|' || at,
           coalesce(staff_id, '') || '|' || reason || '|' || recorded_by
    FROM findings
    UNION ALL
    SELECT 'order', id, opened_at, 6,
           case_id || '|' || level || '|' || reason || '|' || coalesce(due_on, '') || '|' || opened_at,
           coalesce(body, '') || '|' || coalesce(opened_by, '')
    FROM supervision_orders
    UNION ALL
    SELECT 'order_closed', id, closed_at, 7, case_id || '|' || coalesce(closed_at, ''),
           coalesce(closed_by, '') || '|' || coalesce(closing_note, '')
    FROM supervision_orders WHERE status = 'closed'
) ORDER BY at, rank, ref_id;
