-- Televent's schema on PostgreSQL.
--
-- Conventions shared with migrations/sqlite so that one query builder serves both: every
-- instant is a BIGINT of microseconds since the Unix epoch (UTC), identifiers are UUIDs,
-- every integer is BIGINT. NULL bounds mean "unbounded". Names, slugs and hrefs sort
-- bytewise (COLLATE "C"), as they do on SQLite and in memory, whatever the database locale.

CREATE TABLE users (
    id          UUID    PRIMARY KEY,
    name        TEXT    COLLATE "C" NOT NULL UNIQUE,
    telegram_id BIGINT  UNIQUE,
    time_zone   TEXT    NOT NULL,
    created_at  BIGINT  NOT NULL
);

CREATE TABLE user_preferences (
    user_id                 UUID    PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
    reminder_minutes_before BIGINT,
    -- Seconds after local midnight.
    daily_digest_time       BIGINT,
    notifications_enabled   BOOLEAN NOT NULL,
    digest_when_empty       BOOLEAN NOT NULL
);

CREATE TABLE calendars (
    id            UUID    PRIMARY KEY,
    owner_id      UUID    NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    slug          TEXT    COLLATE "C" NOT NULL,
    display_name  TEXT    NOT NULL,
    color         TEXT,
    description   TEXT,
    time_zone     TEXT,
    sort_order    BIGINT,
    -- Accepted component names, comma-separated, in order: "VEVENT,VTODO".
    components    TEXT    NOT NULL,
    -- The last sequence number given out: the calendar's sync token and CTag. Writers of one
    -- calendar serialize on this row (UPDATE ... SET sync_seq = sync_seq + 1 comes first).
    sync_seq      BIGINT  NOT NULL DEFAULT 0,
    -- Tokens older than this are refused as too old (raised when the change log is pruned).
    changes_floor BIGINT  NOT NULL DEFAULT 0,
    created_at    BIGINT  NOT NULL,
    updated_at    BIGINT  NOT NULL,
    UNIQUE (owner_id, slug)
);

CREATE TABLE calendar_objects (
    id           UUID    PRIMARY KEY,
    calendar_id  UUID    NOT NULL REFERENCES calendars (id) ON DELETE CASCADE,
    href         TEXT    COLLATE "C" NOT NULL,
    uid          TEXT    NOT NULL,
    kind         TEXT    NOT NULL,
    etag         TEXT    NOT NULL,
    data         BYTEA   NOT NULL,
    size         BIGINT  NOT NULL,
    summary      TEXT,
    first_start  BIGINT,
    last_end     BIGINT,
    recurring    BOOLEAN NOT NULL,
    -- The calendar sequence number of the last write to this resource.
    modified_seq BIGINT  NOT NULL,
    created_at   BIGINT  NOT NULL,
    updated_at   BIGINT  NOT NULL,
    UNIQUE (calendar_id, href),
    UNIQUE (calendar_id, uid)
);

-- Time-range candidates: (first_start IS NULL OR first_start <= to) AND (last_end IS NULL OR last_end >= from).
CREATE INDEX calendar_objects_span ON calendar_objects (calendar_id, first_start, last_end);

CREATE TABLE calendar_changes (
    calendar_id UUID    NOT NULL REFERENCES calendars (id) ON DELETE CASCADE,
    seq         BIGINT  NOT NULL,
    href        TEXT    NOT NULL,
    kind        TEXT    NOT NULL,
    PRIMARY KEY (calendar_id, seq)
);

CREATE TABLE device_passwords (
    id            UUID    PRIMARY KEY,
    user_id       UUID    NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    label         TEXT    NOT NULL,
    password_hash TEXT    NOT NULL,
    created_at    BIGINT  NOT NULL,
    last_used_at  BIGINT,
    revoked_at    BIGINT
);

CREATE INDEX device_passwords_user ON device_passwords (user_id, created_at);

CREATE TABLE audit_log (
    -- Insertion order: entries are listed newest first by it.
    id          BIGINT  GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    at          BIGINT  NOT NULL,
    -- No foreign key: a failed login may name no user, and the log outlives users.
    user_id     UUID,
    action      TEXT    NOT NULL,
    entity      TEXT    NOT NULL,
    detail      TEXT,
    client_addr TEXT,
    user_agent  TEXT
);

CREATE INDEX audit_log_user ON audit_log (user_id, id);

CREATE TABLE outbox (
    id              UUID    PRIMARY KEY,
    channel         TEXT    NOT NULL,
    recipient       TEXT    NOT NULL,
    -- JSON, see televent-adapters/src/store/sql/payload.rs.
    payload         TEXT    NOT NULL,
    idempotency_key TEXT    NOT NULL UNIQUE,
    -- pending, claimed, delivered or failed. A claimed row whose lease ended counts as pending.
    status          TEXT    NOT NULL,
    attempts        BIGINT  NOT NULL DEFAULT 0,
    available_at    BIGINT  NOT NULL,
    leased_by       TEXT,
    lease_until     BIGINT,
    last_error      TEXT,
    created_at      BIGINT  NOT NULL,
    updated_at      BIGINT  NOT NULL
);

-- Claiming: due rows in (available_at, created_at) order.
CREATE INDEX outbox_due ON outbox (available_at, created_at) WHERE status IN ('pending', 'claimed');
-- Listing, newest first.
CREATE INDEX outbox_created ON outbox (created_at);
