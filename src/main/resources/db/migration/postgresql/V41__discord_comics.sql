-- Comics made by /comic on Discord (PostgreSQL dialect, twin of ../sqlite/V41__discord_comics.sql).

-- One row per finished or failed comic to post, written when the comic module says so (on
-- whichever node ran the comic). The node holding the gateway posts it: at once when the
-- event was its own, else when it sweeps the unsent rows. A poster claims a row until
-- "claimed_until" before sending, so two posters never send the same comic; "sent_at" is
-- set once it is posted (or Discord refused it for good, then without a message id).
CREATE TABLE discord_comic_posts (
    comic_id      BIGINT  NOT NULL PRIMARY KEY,
    requester     TEXT    NOT NULL,  -- the Discord user id of who sent /comic
    channel_id    BIGINT  NOT NULL,  -- where /comic was sent (0: unknown)
    direct        BOOLEAN NOT NULL,  -- a DM: opened again by the requester's id if need be
    title         TEXT,              -- a finished comic's title
    strip_sha256  TEXT,              -- a finished comic's strip in the media store
    reason        TEXT,              -- why a comic could not be made
    claimed_until BIGINT,
    message_id    BIGINT,
    sent_at       BIGINT,
    created_at    BIGINT  NOT NULL
);
CREATE INDEX discord_comic_posts_unsent ON discord_comic_posts (sent_at, created_at);
