-- The part of a call's input the upstream read from its prompt cache
-- (prompt_tokens_details.cached_tokens), billed at the model's cached-input price and
-- shown on the Usage page; calls recorded before this have none.
ALTER TABLE api_calls ADD COLUMN tokens_cached INTEGER NOT NULL DEFAULT 0;
