-- The OpenAI-compatible API (io.switchboard.api), SQLite dialect; its twin for PostgreSQL is
-- ../postgresql/V20__api.sql. Times are epoch milliseconds, money billionths of a dollar.

-- API keys: only a SHA-256 hash of the key is kept; the key itself is shown once.
-- A NULL limit means "no limit"; allowed_models NULL means every configured model.
CREATE TABLE api_keys (
    id                     INTEGER PRIMARY KEY AUTOINCREMENT,
    user_id                BIGINT  NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    name                   TEXT    NOT NULL,
    key_hash               TEXT    NOT NULL UNIQUE,
    key_hint               TEXT    NOT NULL,
    allowed_models         TEXT,
    requests_per_minute    INTEGER,
    tokens_per_day         BIGINT,
    spend_per_month_nanos  BIGINT,
    created_at             BIGINT  NOT NULL,
    revoked_at             BIGINT
);
CREATE INDEX api_keys_user ON api_keys (user_id, created_at);

-- One row per call that reached a model (refused requests are not calls).
CREATE TABLE api_calls (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    key_id       BIGINT  NOT NULL REFERENCES api_keys (id) ON DELETE CASCADE,
    user_id      BIGINT  NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    model        TEXT    NOT NULL,
    upstream     TEXT    NOT NULL,
    tokens_in    INTEGER NOT NULL,
    tokens_out   INTEGER NOT NULL,
    cost_nanos   BIGINT  NOT NULL,
    latency_ms   INTEGER NOT NULL,
    overhead_us  INTEGER NOT NULL,
    status       INTEGER NOT NULL,
    streamed     INTEGER NOT NULL,
    created_at   BIGINT  NOT NULL
);
CREATE INDEX api_calls_key ON api_calls (key_id, created_at);
CREATE INDEX api_calls_user ON api_calls (user_id, created_at);
CREATE INDEX api_calls_created ON api_calls (created_at);
