-- The counter a member of staff sits at, if any: complaints about that counter are kept
-- from them, as from staff a complaint names.
ALTER TABLE staff ADD COLUMN counter_id BIGINT REFERENCES counters(id);
-- Why someone is kept from a case: the complaint names them ('named'), they sit at its
-- counter ('counter'), or a department head or the bureau marked them ('marked').
ALTER TABLE case_named_staff ADD COLUMN why TEXT NOT NULL DEFAULT 'named' CHECK (why IN ('named', 'counter', 'marked'));
