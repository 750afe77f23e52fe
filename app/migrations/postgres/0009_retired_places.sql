-- Halls and departments can be retired, once no open counter is in them and (for a
-- department) no open case is with it: gone from every choice, kept for the history.
ALTER TABLE halls ADD COLUMN retired_at BIGINT;
ALTER TABLE departments ADD COLUMN retired_at BIGINT;
