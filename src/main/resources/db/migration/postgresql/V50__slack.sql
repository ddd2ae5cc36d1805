-- The Slack channel. Slack's event ids are de-duplicated by the channel inbox; these tables
-- make the work after that safe to repeat (a retried or resumed job updates the message it
-- posted instead of posting a second one).

-- One row per user message the bot answers, claimed before anything is posted.
CREATE TABLE slack_replies (
    channel_id   TEXT   NOT NULL,
    message_ts   TEXT   NOT NULL,  -- the user's message
    thread_ts    TEXT   NOT NULL,  -- the thread it belongs to (its own ts for a top-level message)
    event_id     TEXT   NOT NULL,  -- the event that claimed it; another event of the same message is a duplicate
    reply_ts     TEXT,             -- the bot's placeholder reply, once posted
    completed_at BIGINT,           -- when the reply was final
    created_at   BIGINT NOT NULL,
    PRIMARY KEY (channel_id, message_ts)
);
-- "has the bot answered in this thread?": follow-ups in such threads are answered without a mention
CREATE INDEX slack_replies_thread ON slack_replies (channel_id, thread_ts);

-- The message that shows an image job's progress and result.
CREATE TABLE slack_image_posts (
    job_id       BIGINT NOT NULL PRIMARY KEY,
    channel_id   TEXT   NOT NULL,
    thread_ts    TEXT,             -- the thread the job belongs to, once known
    status_ts    TEXT,             -- the status message, once posted
    delivered_at BIGINT,           -- when the result was posted
    created_at   BIGINT NOT NULL
);
