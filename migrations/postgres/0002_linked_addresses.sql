-- Addresses a user has linked: an attendee at one of them is that Televent user (invited on
-- Telegram, answering as them). `NAME@televent.internal` is implicit and never stored here.
-- Addresses are stored normalised (`mailto:` lower-cased), so equality is the match; they sort
-- bytewise (COLLATE "C"), as on SQLite and in memory.

CREATE TABLE user_addresses (
    address    TEXT    COLLATE "C" PRIMARY KEY,
    user_id    UUID    NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    created_at BIGINT  NOT NULL
);

CREATE INDEX user_addresses_user ON user_addresses (user_id);
