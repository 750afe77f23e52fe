-- Administration: where a retired counter's citizens should go instead, and the audit
-- trail of every administrative change (append-only).

ALTER TABLE counters ADD COLUMN replaced_by INTEGER REFERENCES counters(id);

CREATE TABLE audit_log (
    id        INTEGER PRIMARY KEY,
    at        INTEGER NOT NULL,
    actor_id  INTEGER NOT NULL REFERENCES staff(id),
    action    TEXT    NOT NULL,
    -- What was changed, as a stable code (a counter's code, a hall's code…).
    subject   TEXT    NOT NULL,
    -- The change in words an auditor can read: old and new values, never personal data.
    detail    TEXT    NOT NULL
);
CREATE INDEX audit_log_by_time ON audit_log (at);
CREATE TRIGGER audit_log_is_never_edited BEFORE UPDATE ON audit_log
BEGIN SELECT RAISE(ABORT, 'the audit trail is append-only'); END;
CREATE TRIGGER audit_log_is_never_deleted BEFORE DELETE ON audit_log
BEGIN SELECT RAISE(ABORT, 'the audit trail is append-only'); END;
