-- Televent's schema on SQLite.
--
-- Conventions shared with migrations/postgres so that one query builder serves both:
-- every instant is an INTEGER of microseconds since the Unix epoch (UTC), identifiers are
-- 16-byte UUID BLOBs, booleans are BOOLEAN (0/1). NULL bounds mean "unbounded".

CREATE TABLE users (
    id          BLOB    PRIMARY KEY NOT NULL,
    name        TEXT    NOT NULL UNIQUE,
    telegram_id INTEGER UNIQUE,
    time_zone   TEXT    NOT NULL,
    created_at  INTEGER NOT NULL
);

CREATE TABLE user_preferences (
    user_id                 BLOB    PRIMARY KEY NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    reminder_minutes_before INTEGER,
    -- Seconds after local midnight.
    daily_digest_time       INTEGER,
    notifications_enabled   BOOLEAN NOT NULL,
    digest_when_empty       BOOLEAN NOT NULL
);

CREATE TABLE calendars (
    id            BLOB    PRIMARY KEY NOT NULL,
    owner_id      BLOB    NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    slug          TEXT    NOT NULL,
    display_name  TEXT    NOT NULL,
    color         TEXT,
    description   TEXT,
    time_zone     TEXT,
    sort_order    INTEGER,
    -- Accepted component names, comma-separated, in order: "VEVENT,VTODO".
    components    TEXT    NOT NULL,
    -- The last sequence number given out: the calendar's sync token and CTag.
    sync_seq      INTEGER NOT NULL DEFAULT 0,
    -- Tokens older than this are refused as too old (raised when the change log is pruned).
    changes_floor INTEGER NOT NULL DEFAULT 0,
    created_at    INTEGER NOT NULL,
    updated_at    INTEGER NOT NULL,
    UNIQUE (owner_id, slug)
);

CREATE TABLE calendar_objects (
    id           BLOB    PRIMARY KEY NOT NULL,
    calendar_id  BLOB    NOT NULL REFERENCES calendars (id) ON DELETE CASCADE,
    href         TEXT    NOT NULL,
    uid          TEXT    NOT NULL,
    kind         TEXT    NOT NULL,
    etag         TEXT    NOT NULL,
    data         BLOB    NOT NULL,
    size         INTEGER NOT NULL,
    summary      TEXT,
    first_start  INTEGER,
    last_end     INTEGER,
    recurring    BOOLEAN NOT NULL,
    -- The calendar sequence number of the last write to this resource.
    modified_seq INTEGER NOT NULL,
    created_at   INTEGER NOT NULL,
    updated_at   INTEGER NOT NULL,
    UNIQUE (calendar_id, href),
    UNIQUE (calendar_id, uid)
);

-- Time-range candidates: (first_start IS NULL OR first_start <= to) AND (last_end IS NULL OR last_end >= from).
CREATE INDEX calendar_objects_span ON calendar_objects (calendar_id, first_start, last_end);

CREATE TABLE calendar_changes (
    calendar_id BLOB    NOT NULL REFERENCES calendars (id) ON DELETE CASCADE,
    seq         INTEGER NOT NULL,
    href        TEXT    NOT NULL,
    kind        TEXT    NOT NULL,
    PRIMARY KEY (calendar_id, seq)
);

CREATE TABLE device_passwords (
    id            BLOB    PRIMARY KEY NOT NULL,
    user_id       BLOB    NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    label         TEXT    NOT NULL,
    password_hash TEXT    NOT NULL,
    created_at    INTEGER NOT NULL,
    last_used_at  INTEGER,
    revoked_at    INTEGER
);

CREATE INDEX device_passwords_user ON device_passwords (user_id, created_at);

CREATE TABLE audit_log (
    -- Insertion order: entries are listed newest first by it.
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    at          INTEGER NOT NULL,
    -- No foreign key: a failed login may name no user, and the log outlives users.
    user_id     BLOB,
    action      TEXT    NOT NULL,
    entity      TEXT    NOT NULL,
    detail      TEXT,
    client_addr TEXT,
    user_agent  TEXT
);

CREATE INDEX audit_log_user ON audit_log (user_id, id);

CREATE TABLE outbox (
    id              BLOB    PRIMARY KEY NOT NULL,
    channel         TEXT    NOT NULL,
    recipient       TEXT    NOT NULL,
    -- JSON, see televent-adapters/src/store/sql/payload.rs.
    payload         TEXT    NOT NULL,
    idempotency_key TEXT    NOT NULL UNIQUE,
    -- pending, claimed, delivered or failed. A claimed row whose lease ended counts as pending.
    status          TEXT    NOT NULL,
    attempts        INTEGER NOT NULL DEFAULT 0,
    available_at    INTEGER NOT NULL,
    leased_by       TEXT,
    lease_until     INTEGER,
    last_error      TEXT,
    created_at      INTEGER NOT NULL,
    updated_at      INTEGER NOT NULL
);

-- Claiming: due rows in (available_at, created_at) order.
CREATE INDEX outbox_due ON outbox (available_at, created_at) WHERE status IN ('pending', 'claimed');
-- Listing, newest first.
CREATE INDEX outbox_created ON outbox (created_at);
