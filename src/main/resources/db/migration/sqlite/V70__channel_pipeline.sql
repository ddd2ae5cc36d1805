-- The channel pipeline (SQLite dialect, twin of ../postgresql/V70__channel_pipeline.sql; the
-- Java migration db.migration.common.V71 and V72 complete it).
--
-- A message is kept on arrival: a user's chat message is stored with a pending answer row
-- right behind it (the order number after the question is the answer's), and the answer
-- row's state says how the question stands: pending, answered, failed (with a reason the
-- user can read) or refused. Context assembly only sends questions whose answer is there.
ALTER TABLE messages ADD COLUMN state TEXT CHECK (state IN ('pending', 'answered', 'failed', 'refused'));
ALTER TABLE messages ADD COLUMN note TEXT;
ALTER TABLE messages ADD COLUMN reply_to BIGINT;
UPDATE messages SET state = 'answered',
    reply_to = (SELECT q.id FROM messages q
                 WHERE q.session_id = messages.session_id AND q.topic = messages.topic AND q.seq = messages.seq - 1)
 WHERE role = 'assistant';

-- Everything that reaches a platform: an answer (or the reason there is none), a command's
-- replies, an image job's message, a finished or failed comic. One row per thing shown,
-- unique per platform by dedup_key, so it is delivered once across retries, restarts and
-- nodes. "held" answers are still being written; "pending" ones are due at next_at (image
-- progress is paced, failures back off); a sender claims a row until claimed_until. "refs"
-- are the platform's own references to what it shows (Slack ts, Discord message ids), so a
-- second attempt edits instead of posting again; "shown" is what they show now, so a change
-- that shows the same is not sent; "version" counts changes, so one that arrives while a
-- send is under way is sent after it.
CREATE TABLE channel_deliveries (
    id             INTEGER PRIMARY KEY AUTOINCREMENT,
    platform       TEXT    NOT NULL,
    dedup_key      TEXT    NOT NULL,
    lane           TEXT    NOT NULL,  -- deliveries of one lane (a chat, a thread) are sent in order
    address        TEXT    NOT NULL,  -- JSON: where, in the platform's own terms
    content        TEXT    NOT NULL,  -- JSON: what (io.switchboard.channel.Delivery)
    state          TEXT    NOT NULL CHECK (state IN ('held', 'pending', 'sent', 'failed')),
    version        INTEGER NOT NULL DEFAULT 0,
    refs           TEXT,
    shown          TEXT,
    attempts       INTEGER NOT NULL DEFAULT 0,
    next_at        BIGINT  NOT NULL,
    claimed_by     TEXT,
    claimed_until  BIGINT,
    last_error     TEXT,
    created_at     BIGINT  NOT NULL,
    updated_at     BIGINT  NOT NULL,
    sent_at        BIGINT,            -- when the platform last took a send (image progress is paced from it)
    UNIQUE (platform, dedup_key)
);
CREATE INDEX channel_deliveries_due ON channel_deliveries (state, next_at);
CREATE INDEX channel_deliveries_updated ON channel_deliveries (updated_at);

-- A chat turn under way: the model is to answer answer_id. The row exists for recovery only
-- (no thread waits on it): the node running the turn holds a lease it renews; when a node
-- dies its leases run out and another node (or the next process) finishes the turn. The
-- row goes when the answer (or the reason there is none) is recorded.
CREATE TABLE channel_turns (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    answer_id    BIGINT  NOT NULL UNIQUE REFERENCES messages (id) ON DELETE CASCADE,
    delivery_id  BIGINT  NOT NULL,
    platform     TEXT    NOT NULL,
    lane         TEXT    NOT NULL,  -- one user's turns in one place run in order
    user_id      BIGINT  NOT NULL,
    provider     TEXT    NOT NULL,  -- whose max-concurrent bounds it
    node         TEXT,
    lease_until  BIGINT  NOT NULL,
    attempts     INTEGER NOT NULL DEFAULT 0,
    created_at   BIGINT  NOT NULL
);
CREATE INDEX channel_turns_lease ON channel_turns (lease_until);

-- Platform events taken in by the old inbox but not processed when this version was
-- installed (moved here by V71): each channel takes its own in again at start-up.
CREATE TABLE channel_backlog (
    platform    TEXT   NOT NULL,
    event_id    TEXT   NOT NULL,
    payload     TEXT   NOT NULL,
    created_at  BIGINT NOT NULL,
    PRIMARY KEY (platform, event_id)
);
