-- The Discord channel (SQLite dialect, twin of ../postgresql/V40__discord.sql).

-- One gateway connection per shard across all nodes: the node named in a live row holds
-- the shard and renews the row; another node takes it over once the row has expired.
CREATE TABLE discord_gateway_leases (
    shard_id    INTEGER NOT NULL PRIMARY KEY,
    holder      TEXT    NOT NULL,
    expires_at  BIGINT  NOT NULL
);

-- The bot's messages that carry a session's answer, so the "Session info" message command
-- finds the session behind a reply. Snowflakes fit a BIGINT.
CREATE TABLE discord_answers (
    message_id  BIGINT NOT NULL PRIMARY KEY,
    session_id  BIGINT NOT NULL REFERENCES sessions (id) ON DELETE CASCADE,
    created_at  BIGINT NOT NULL
);
CREATE INDEX discord_answers_session ON discord_answers (session_id);

-- The Discord message that shows an image job (its progress, then its grid or upscale).
-- The row is written with the message, under a per-job lock, so one message is made per
-- job; "rendered" is what the message shows (state and progress), so an update that
-- changes nothing is not sent, and "finished" rows are done. The holder of the gateway
-- sweeps unfinished rows, so jobs worked on by other nodes are shown too.
CREATE TABLE discord_image_messages (
    job_id      BIGINT  NOT NULL PRIMARY KEY,
    owner_id    BIGINT  NOT NULL,
    channel_id  BIGINT  NOT NULL,
    message_id  BIGINT  NOT NULL,
    rendered    TEXT    NOT NULL,
    finished    BOOLEAN NOT NULL,
    created_at  BIGINT  NOT NULL,
    updated_at  BIGINT  NOT NULL
);
CREATE INDEX discord_image_messages_unfinished ON discord_image_messages (finished);
