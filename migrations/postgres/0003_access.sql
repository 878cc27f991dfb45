-- Access by secret (televent-domain/src/access.rs): web and API sessions and one-time login
-- links, stored by the BLAKE3 hash of their secret, and per-calendar subscription tokens,
-- stored as they are (they are handed out again). The outbox learns whose each message is,
-- so a user can see the delivery of their own.

CREATE TABLE access_tokens (
    hash       BYTEA   PRIMARY KEY,
    -- session or login_link
    kind       TEXT    NOT NULL,
    user_id    UUID    NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    -- The device password a session was made with: revoking it ends the session.
    device_id  UUID,
    created_at BIGINT  NOT NULL,
    expires_at BIGINT  NOT NULL
);

CREATE INDEX access_tokens_expiry ON access_tokens (expires_at);

CREATE TABLE calendar_subscriptions (
    calendar_id UUID    PRIMARY KEY REFERENCES calendars (id) ON DELETE CASCADE,
    token       TEXT    NOT NULL UNIQUE,
    created_at  BIGINT  NOT NULL
);

-- The user a message is for or from (reminders and digests: its recipient; invitations and
-- answers: the organizer). NULL on messages enqueued before this column existed.
ALTER TABLE outbox ADD COLUMN owner_id UUID;

CREATE INDEX outbox_owner ON outbox (owner_id, created_at);
