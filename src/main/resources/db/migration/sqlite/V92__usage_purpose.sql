-- The ledger tells chat answers from summaries written by compaction (purpose), and counts
-- the input tokens providers read from their prompt caches. SQLite cannot change a
-- primary key in place, so the table is rebuilt.
CREATE TABLE usage_ledger_new (
    user_id        BIGINT  NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    model          TEXT    NOT NULL,
    day            TEXT    NOT NULL,
    purpose        TEXT    NOT NULL DEFAULT 'chat' CHECK (purpose IN ('chat', 'summary')),
    requests       BIGINT  NOT NULL,
    tokens_in      BIGINT  NOT NULL,
    tokens_out     BIGINT  NOT NULL,
    tokens_cached  BIGINT  NOT NULL DEFAULT 0,
    cost_nanos     BIGINT  NOT NULL,
    PRIMARY KEY (user_id, model, day, purpose)
);
INSERT INTO usage_ledger_new (user_id, model, day, purpose, requests, tokens_in, tokens_out, tokens_cached, cost_nanos)
SELECT user_id, model, day, 'chat', requests, tokens_in, tokens_out, 0, cost_nanos FROM usage_ledger;
DROP TABLE usage_ledger;
ALTER TABLE usage_ledger_new RENAME TO usage_ledger;
