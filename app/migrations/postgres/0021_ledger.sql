-- The public record (docs/TRANSPARENCY.md): every rating, case event, rating appeal and its
-- decision, supervision finding and order is also an entry of one append-only chain, in the
-- same transaction as the change. An entry's body is `kind|ref_id|public fields|commitment`
-- (numbers in decimal, a missing value empty), the commitment being SHA-256 over this
-- database's secret, `|` and the private fields (comments, tickets, staff, texts), so that
-- the public learns nothing private and the rows cannot change unseen. An entry's hash is
-- SHA-256 (lower-case hex) over the previous entry's hash, a line feed and its body; the
-- first entry (genesis) follows 64 zeros. `day`: the UTC day the entry was appended, never
-- before the previous entry's. One advisory lock orders the appends of every app server.

CREATE TABLE ledger_secret (
    one    BOOLEAN PRIMARY KEY CHECK (one),
    secret TEXT    NOT NULL
);
INSERT INTO ledger_secret (one, secret)
VALUES (TRUE, replace(gen_random_uuid()::text || gen_random_uuid()::text, '-', ''));

CREATE TABLE ledger (
    id      BIGINT PRIMARY KEY,
    day     TEXT   NOT NULL,
    kind    TEXT   NOT NULL,
    ref_id  BIGINT NOT NULL,
    body    TEXT   NOT NULL,
    hash    TEXT   NOT NULL
);
CREATE INDEX ledger_by_day ON ledger (day, id);

CREATE TABLE ledger_digests (
    day           TEXT   NOT NULL PRIMARY KEY,
    entries       BIGINT NOT NULL,
    first_id      BIGINT NOT NULL,
    last_id       BIGINT NOT NULL,
    previous_head TEXT   NOT NULL,
    head          TEXT   NOT NULL,
    published_at  BIGINT NOT NULL
);

CREATE FUNCTION ledger_sha256(t TEXT) RETURNS TEXT LANGUAGE sql IMMUTABLE STRICT AS
$$ SELECT encode(sha256(convert_to(t, 'UTF8')), 'hex') $$;

CREATE FUNCTION ledger_append(k TEXT, ref BIGINT, public_part TEXT, private_part TEXT) RETURNS VOID
LANGUAGE plpgsql AS $$
DECLARE
    last_id   BIGINT;
    last_day  TEXT;
    last_hash TEXT;
    today     TEXT;
    b         TEXT;
BEGIN
    -- One writer at a time, so ids follow the order of commits.
    PERFORM pg_advisory_xact_lock(726946601);
    SELECT id, day, hash INTO last_id, last_day, last_hash FROM ledger ORDER BY id DESC LIMIT 1;
    today := to_char(clock_timestamp() AT TIME ZONE 'UTC', 'YYYY-MM-DD');
    IF last_day IS NOT NULL AND last_day > today THEN
        today := last_day;
    END IF;
    b := k || '|' || ref::text || '|' || public_part || '|'
        || ledger_sha256((SELECT secret FROM ledger_secret) || '|' || private_part);
    INSERT INTO ledger (id, day, kind, ref_id, body, hash)
    VALUES (coalesce(last_id, 0) + 1, today, k, ref, b,
            ledger_sha256(coalesce(last_hash, repeat('0', 64)) || chr(10) || b));
END $$;

CREATE FUNCTION ledger_is_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'the ledger is append-only';
END $$;
CREATE TRIGGER ledger_is_append_only BEFORE UPDATE OR DELETE ON ledger
FOR EACH ROW EXECUTE FUNCTION ledger_is_append_only();
CREATE TRIGGER ledger_is_never_truncated BEFORE TRUNCATE ON ledger
FOR EACH STATEMENT EXECUTE FUNCTION ledger_is_append_only();
CREATE TRIGGER ledger_secret_is_append_only BEFORE UPDATE OR DELETE ON ledger_secret
FOR EACH ROW EXECUTE FUNCTION ledger_is_append_only();
CREATE TRIGGER ledger_digests_are_append_only BEFORE UPDATE OR DELETE ON ledger_digests
FOR EACH ROW EXECUTE FUNCTION ledger_is_append_only();

-- What each recorded table appends (the verifier in app/src/store/ledger.rs builds the
-- same bodies from the rows).
CREATE FUNCTION ledger_rating(r ratings) RETURNS TEXT[] LANGUAGE sql IMMUTABLE AS $$
SELECT ARRAY[r.counter_id::text || '|' || r.hall_id::text || '|' || r.day || '|' || r.level::text || '|' || r.created_at::text,
             r.tags::text || '|' || coalesce(r.comment, '') || '|' || coalesce(r.ticket, '')] $$;
CREATE FUNCTION ledger_case_event(e case_events) RETURNS TEXT[] LANGUAGE sql IMMUTABLE AS $$
SELECT ARRAY[e.case_id::text || '|' || e.kind || '|' || coalesce(e.from_status, '') || '|' || coalesce(e.to_status, '') || '|'
                 || (CASE WHEN e.public THEN '1' ELSE '0' END) || '|' || coalesce(e.department_id::text, '') || '|' || e.at::text,
             coalesce(e.actor_id::text, '') || '|' || coalesce(e.staff_id::text, '') || '|' || coalesce(e.body, '') || '|'
                 || coalesce(e.detail, '')] $$;
CREATE FUNCTION ledger_appeal(a rating_appeals) RETURNS TEXT[] LANGUAGE sql IMMUTABLE AS $$
SELECT ARRAY[a.rating_id::text || '|' || a.case_id::text || '|' || a.created_at::text, a.staff_id::text || '|' || a.reason] $$;
CREATE FUNCTION ledger_appeal_decision(a rating_appeals) RETURNS TEXT[] LANGUAGE sql IMMUTABLE AS $$
SELECT ARRAY[a.rating_id::text || '|' || a.case_id::text || '|' || a.status || '|' || coalesce(a.decided_at::text, ''),
             coalesce(a.decided_by::text, '')] $$;
CREATE FUNCTION ledger_finding(f findings) RETURNS TEXT[] LANGUAGE sql IMMUTABLE AS $$
SELECT ARRAY[f.case_id::text || '|' || f.finding || '|' || f.measure || '|' || coalesce(f.department_id::text, '') || '|' || f.at::text,
             coalesce(f.staff_id::text, '') || '|' || f.reason || '|' || f.recorded_by::text] $$;
CREATE FUNCTION ledger_order(o supervision_orders) RETURNS TEXT[] LANGUAGE sql IMMUTABLE AS $$
SELECT ARRAY[o.case_id::text || '|' || o.level || '|' || o.reason || '|' || coalesce(o.due_on, '') || '|' || o.opened_at::text,
             coalesce(o.body, '') || '|' || coalesce(o.opened_by::text, '')] $$;
CREATE FUNCTION ledger_order_closed(o supervision_orders) RETURNS TEXT[] LANGUAGE sql IMMUTABLE AS $$
SELECT ARRAY[o.case_id::text || '|' || coalesce(o.closed_at::text, ''),
             coalesce(o.closed_by::text, '') || '|' || coalesce(o.closing_note, '')] $$;

CREATE FUNCTION ledger_records() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    parts TEXT[];
BEGIN
    -- One branch planned per table: NEW is that table's row.
    IF TG_ARGV[0] = 'rating' THEN
        parts := ledger_rating(NEW);
    ELSIF TG_ARGV[0] = 'case_event' THEN
        parts := ledger_case_event(NEW);
    ELSIF TG_ARGV[0] = 'appeal' THEN
        parts := ledger_appeal(NEW);
    ELSIF TG_ARGV[0] = 'appeal_decision' THEN
        parts := ledger_appeal_decision(NEW);
    ELSIF TG_ARGV[0] = 'finding' THEN
        parts := ledger_finding(NEW);
    ELSIF TG_ARGV[0] = 'order' THEN
        parts := ledger_order(NEW);
    ELSE
        parts := ledger_order_closed(NEW);
    END IF;
    PERFORM ledger_append(TG_ARGV[0], NEW.id, parts[1], parts[2]);
    RETURN NULL;
END $$;
-- Ratings come in batches of hundreds (one statement each): their entries are appended
-- per statement, the lock taken and the last entry read once, the rows hashed in order and
-- written with one INSERT (per row, a batch cost half the ratings' rate).
CREATE FUNCTION ratings_are_recorded() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    last_id   BIGINT;
    last_day  TEXT;
    last_hash TEXT;
    today     TEXT;
    secret    TEXT;
    r         RECORD;
    b         TEXT;
    ids       BIGINT[] := '{}';
    refs      BIGINT[] := '{}';
    bodies    TEXT[] := '{}';
    hashes    TEXT[] := '{}';
BEGIN
    PERFORM pg_advisory_xact_lock(726946601);
    SELECT id, day, hash INTO last_id, last_day, last_hash FROM ledger ORDER BY id DESC LIMIT 1;
    today := to_char(clock_timestamp() AT TIME ZONE 'UTC', 'YYYY-MM-DD');
    IF last_day IS NOT NULL AND last_day > today THEN
        today := last_day;
    END IF;
    SELECT s.secret INTO secret FROM ledger_secret s;
    last_id := coalesce(last_id, 0);
    last_hash := coalesce(last_hash, repeat('0', 64));
    FOR r IN SELECT n.id, ledger_rating(n) AS parts FROM new_ratings n ORDER BY n.id LOOP
        b := 'rating|' || r.id::text || '|' || r.parts[1] || '|' || ledger_sha256(secret || '|' || r.parts[2]);
        last_hash := ledger_sha256(last_hash || chr(10) || b);
        last_id := last_id + 1;
        ids := ids || last_id;
        refs := refs || r.id;
        bodies := bodies || b;
        hashes := hashes || last_hash;
    END LOOP;
    INSERT INTO ledger (id, day, kind, ref_id, body, hash)
    SELECT i, today, 'rating', f, bo, h FROM unnest(ids, refs, bodies, hashes) AS u(i, f, bo, h);
    RETURN NULL;
END $$;
CREATE TRIGGER ratings_are_recorded AFTER INSERT ON ratings
REFERENCING NEW TABLE AS new_ratings
FOR EACH STATEMENT EXECUTE FUNCTION ratings_are_recorded();
CREATE TRIGGER case_events_are_recorded AFTER INSERT ON case_events
FOR EACH ROW EXECUTE FUNCTION ledger_records('case_event');
CREATE TRIGGER rating_appeals_are_recorded AFTER INSERT ON rating_appeals
FOR EACH ROW EXECUTE FUNCTION ledger_records('appeal');
CREATE TRIGGER rating_appeal_decisions_are_recorded AFTER UPDATE OF status ON rating_appeals
FOR EACH ROW EXECUTE FUNCTION ledger_records('appeal_decision');
CREATE TRIGGER findings_are_recorded AFTER INSERT ON findings
FOR EACH ROW EXECUTE FUNCTION ledger_records('finding');
CREATE TRIGGER supervision_orders_are_recorded AFTER INSERT ON supervision_orders
FOR EACH ROW EXECUTE FUNCTION ledger_records('order');
CREATE TRIGGER supervision_order_closings_are_recorded AFTER UPDATE OF status ON supervision_orders
FOR EACH ROW EXECUTE FUNCTION ledger_records('order_closed');

-- A decided appeal and a closed order stay as they are; nothing of them is deleted.
CREATE FUNCTION rating_appeals_change_only_by_decision() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'DELETE' OR OLD.status <> 'pending' OR NEW.status NOT IN ('upheld', 'dismissed')
       OR (NEW.rating_id, NEW.case_id, NEW.staff_id, NEW.reason, NEW.created_at, NEW.counter_id, NEW.day, NEW.level)
          IS DISTINCT FROM (OLD.rating_id, OLD.case_id, OLD.staff_id, OLD.reason, OLD.created_at, OLD.counter_id, OLD.day, OLD.level) THEN
        RAISE EXCEPTION 'an appeal changes only by its decision';
    END IF;
    RETURN NEW;
END $$;
CREATE TRIGGER rating_appeals_change_only_by_decision BEFORE UPDATE OR DELETE ON rating_appeals
FOR EACH ROW EXECUTE FUNCTION rating_appeals_change_only_by_decision();
CREATE FUNCTION supervision_orders_change_only_by_closing() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'DELETE' OR OLD.status <> 'open' OR NEW.status <> 'closed'
       OR (NEW.case_id, NEW.level, NEW.reason, NEW.due_on, NEW.body, NEW.opened_at, NEW.opened_by)
          IS DISTINCT FROM (OLD.case_id, OLD.level, OLD.reason, OLD.due_on, OLD.body, OLD.opened_at, OLD.opened_by) THEN
        RAISE EXCEPTION 'an order changes only by its closing';
    END IF;
    RETURN NEW;
END $$;
CREATE TRIGGER supervision_orders_change_only_by_closing BEFORE UPDATE OR DELETE ON supervision_orders
FOR EACH ROW EXECUTE FUNCTION supervision_orders_change_only_by_closing();

-- What was recorded before this version: one genesis entry, then every existing row in
-- the order it happened.
DO $$
DECLARE
    r RECORD;
BEGIN
    PERFORM ledger_append('genesis', 0, 'counterpoint ledger 1', '');
    FOR r IN
        SELECT 'rating' AS kind, t.id AS ref_id, t.created_at AS at, 1 AS rank, ledger_rating(t) AS parts FROM ratings t
        UNION ALL SELECT 'case_event', e.id, e.at, 2, ledger_case_event(e) FROM case_events e
        UNION ALL SELECT 'appeal', a.id, a.created_at, 3, ledger_appeal(a) FROM rating_appeals a
        UNION ALL SELECT 'appeal_decision', a.id, a.decided_at, 4, ledger_appeal_decision(a) FROM rating_appeals a WHERE a.status <> 'pending'
        UNION ALL SELECT 'finding', f.id, f.at, 5, ledger_finding(f) FROM findings f
        UNION ALL SELECT 'order', o.id, o.opened_at, 6, ledger_order(o) FROM supervision_orders o
        UNION ALL SELECT 'order_closed', o.id, o.closed_at, 7, ledger_order_closed(o) FROM supervision_orders o WHERE o.status = 'closed'
        ORDER BY 3, 4, 2
    LOOP
        PERFORM ledger_append(r.kind, r.ref_id, r.parts[1], r.parts[2]);
    END LOOP;
END $$;
