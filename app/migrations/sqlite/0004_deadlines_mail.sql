-- Time limits that enforce themselves, supervision orders, accountability findings and
-- the durable mail outbox.

-- Staff receive reminders, escalations and assignments by mail.
ALTER TABLE staff ADD COLUMN email TEXT;

-- The time limit of each stage of a case, in working days (the citizen's confirmation:
-- calendar days). category '' is the default for every category of that kind.
CREATE TABLE time_limits (
    kind      TEXT    NOT NULL CHECK (kind IN ('complaint', 'rating_followup')),
    category  TEXT    NOT NULL DEFAULT '',
    stage     TEXT    NOT NULL CHECK (stage IN ('accept', 'reply', 'confirm', 'follow_up', 'transfer')),
    days      INTEGER NOT NULL CHECK (days BETWEEN 1 AND 90),
    PRIMARY KEY (kind, category, stage)
);
INSERT INTO time_limits (kind, category, stage, days) VALUES
    ('complaint', '', 'accept', 1),
    ('complaint', '', 'reply', 5),
    ('complaint', '', 'confirm', 7),
    ('complaint', '', 'transfer', 1),
    ('rating_followup', '', 'follow_up', 3),
    ('rating_followup', '', 'transfer', 1);

-- 0: not escalated for the current deadline; 1: to the department head; 2: to the bureau.
ALTER TABLE cases ADD COLUMN escalation_step INTEGER NOT NULL DEFAULT 0;
-- The deadline a reminder was sent for (one reminder per deadline).
ALTER TABLE cases ADD COLUMN reminded_for TEXT;
-- A transfer the receiving head has not accepted by this day returns to the sender.
ALTER TABLE cases ADD COLUMN transfer_due_on TEXT;
-- Asked the citizen for more information: the clock is paused with this many working days
-- left, and restarts when the citizen answers.
ALTER TABLE cases ADD COLUMN paused_days_left INTEGER;
-- The citizen asked for no more mail about this case.
ALTER TABLE cases ADD COLUMN mail_stopped BOOLEAN NOT NULL DEFAULT FALSE;
-- The tracking token, kept only while mails about the case can still be sent to a
-- complainant who gave an email address (the mails carry the link); cleared when the case
-- ends or mails are stopped. Every other case keeps only the token's hash.
ALTER TABLE cases ADD COLUMN mail_token TEXT;
CREATE INDEX cases_by_due ON cases (due_on) WHERE status NOT IN ('closed', 'rejected');

-- Supervision orders (督辦): opened by the scheduler when a case is overdue (to the
-- department head, then to the bureau), when a citizen is unsatisfied, or by a supervisor.
CREATE TABLE supervision_orders (
    id          INTEGER PRIMARY KEY,
    case_id     INTEGER NOT NULL REFERENCES cases(id),
    level       TEXT    NOT NULL CHECK (level IN ('department', 'bureau')),
    reason      TEXT    NOT NULL CHECK (reason IN ('overdue', 'unsatisfied', 'ordered')),
    -- The deadline that was missed (overdue orders): one automatic order per deadline and level.
    due_on      TEXT,
    body        TEXT,
    opened_at   INTEGER NOT NULL,
    opened_by   INTEGER REFERENCES staff(id),
    status      TEXT    NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'closed')),
    closed_at   INTEGER,
    closed_by   INTEGER REFERENCES staff(id),
    closing_note TEXT
);
CREATE INDEX supervision_orders_by_case ON supervision_orders (case_id);
CREATE INDEX supervision_orders_open ON supervision_orders (status, opened_at);
CREATE UNIQUE INDEX one_overdue_order_per_deadline
    ON supervision_orders (case_id, level, due_on) WHERE reason = 'overdue';

CREATE TABLE supervision_comments (
    id        INTEGER PRIMARY KEY,
    order_id  INTEGER NOT NULL REFERENCES supervision_orders(id),
    staff_id  INTEGER NOT NULL REFERENCES staff(id),
    at        INTEGER NOT NULL,
    body      TEXT    NOT NULL
);
CREATE INDEX supervision_comments_by_order ON supervision_comments (order_id, id);

-- Accountability (責任追究): what a supervisor found on a case and what was done, against
-- a department or a staff member.
CREATE TABLE findings (
    id            INTEGER PRIMARY KEY,
    case_id       INTEGER NOT NULL REFERENCES cases(id),
    finding       TEXT    NOT NULL CHECK (finding IN ('substantiated', 'partly', 'not_substantiated')),
    measure       TEXT    NOT NULL CHECK (measure IN ('none', 'reminder', 'efficiency_warning', 'admonition', 'referral')),
    department_id INTEGER REFERENCES departments(id),
    staff_id      INTEGER REFERENCES staff(id),
    reason        TEXT    NOT NULL,
    recorded_by   INTEGER NOT NULL REFERENCES staff(id),
    at            INTEGER NOT NULL,
    CHECK (department_id IS NOT NULL OR staff_id IS NOT NULL)
);
CREATE INDEX findings_by_case ON findings (case_id);
CREATE INDEX findings_by_department ON findings (department_id, at);
CREATE TRIGGER findings_are_never_edited BEFORE UPDATE ON findings
BEGIN SELECT RAISE(ABORT, 'findings are append-only'); END;
CREATE TRIGGER findings_are_never_deleted BEFORE DELETE ON findings
BEGIN SELECT RAISE(ABORT, 'findings are append-only'); END;

-- The mail outbox: a mail is written in the same transaction as the event that causes it
-- and delivered by a sender worker. Once sent, its recipient and bodies are wiped.
CREATE TABLE outbox (
    id              INTEGER PRIMARY KEY,
    -- Stable across retries, so a mail sent twice is recognisable.
    message_id      TEXT    NOT NULL UNIQUE,
    case_id         INTEGER REFERENCES cases(id),
    event           TEXT    NOT NULL,
    -- 'citizen' or 'staff': a citizen's mails stop when they ask.
    audience        TEXT    NOT NULL CHECK (audience IN ('citizen', 'staff')),
    recipient       TEXT    NOT NULL,
    locale          TEXT    NOT NULL,
    subject         TEXT    NOT NULL,
    text_body       TEXT    NOT NULL,
    html_body       TEXT    NOT NULL,
    status          TEXT    NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'sent', 'dead', 'cancelled')),
    attempts        INTEGER NOT NULL DEFAULT 0,
    next_attempt_at INTEGER NOT NULL,
    lease_until     INTEGER,
    lease_owner     TEXT,
    last_error      TEXT,
    created_at      INTEGER NOT NULL,
    sent_at         INTEGER
);
CREATE INDEX outbox_due ON outbox (next_attempt_at) WHERE status = 'pending';
CREATE INDEX outbox_dead ON outbox (created_at) WHERE status = 'dead';
CREATE INDEX outbox_by_case ON outbox (case_id);
