-- The LINE channel (SQLite dialect, twin of ../postgresql/V30__line_channel.sql).

-- Photos a user sent, waiting to be attached to their next question in the same chat
-- (seed 000's "photo, then a question"). Kept for a short while only.
CREATE TABLE line_pending_photos (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    line_user_id TEXT    NOT NULL,
    chat_id      TEXT    NOT NULL,
    message_id   TEXT    NOT NULL,
    sha256       TEXT    NOT NULL,
    mime_type    TEXT    NOT NULL,
    width        INTEGER NOT NULL,
    height       INTEGER NOT NULL,
    received_at  BIGINT  NOT NULL,
    UNIQUE (message_id)
);
CREATE INDEX line_pending_photos_chat ON line_pending_photos (line_user_id, chat_id, received_at);

-- What we answer to an event, written before it is sent: a handler that runs again after
-- a failure sends what is still unsent instead of asking the model again, and every push
-- carries a retry key derived from (event_id, seq), so LINE drops a push it already took.
CREATE TABLE line_outbox (
    event_id     TEXT    NOT NULL,
    seq          INTEGER NOT NULL,
    chat_id      TEXT    NOT NULL,
    reply_token  TEXT,
    reply_until  BIGINT,
    messages     TEXT    NOT NULL,
    created_at   BIGINT  NOT NULL,
    sent_at      BIGINT,
    sent_by      TEXT,
    PRIMARY KEY (event_id, seq)
);
CREATE INDEX line_outbox_created ON line_outbox (created_at);
