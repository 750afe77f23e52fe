-- The app servers over this database, each seen every few seconds: they share each client's
-- rate-limit budget among those alive.
CREATE TABLE app_servers (
    id      TEXT   PRIMARY KEY,
    seen_at BIGINT NOT NULL
);
