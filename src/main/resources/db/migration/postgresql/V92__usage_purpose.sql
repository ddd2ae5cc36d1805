-- The ledger tells chat answers from summaries written by compaction (purpose), and counts
-- the input tokens providers read from their prompt caches.
ALTER TABLE usage_ledger ADD COLUMN purpose TEXT NOT NULL DEFAULT 'chat' CHECK (purpose IN ('chat', 'summary'));
ALTER TABLE usage_ledger ADD COLUMN tokens_cached BIGINT NOT NULL DEFAULT 0;
ALTER TABLE usage_ledger DROP CONSTRAINT usage_ledger_pkey;
ALTER TABLE usage_ledger ADD PRIMARY KEY (user_id, model, day, purpose);
