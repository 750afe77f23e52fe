-- Jobs that one app server does for all (the statistics' roll-up, sweeping unsent photos):
-- the server holding a job's lease runs it; another takes it over once the lease runs out.
CREATE TABLE job_leases (
    name     TEXT   PRIMARY KEY,
    holder   TEXT   NOT NULL,
    until_ms BIGINT NOT NULL
);
