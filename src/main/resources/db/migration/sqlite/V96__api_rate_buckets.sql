-- The same table as on PostgreSQL, so both schemas stay one. A single process on SQLite keeps
-- its request-per-minute buckets in memory and leaves this table empty.
CREATE TABLE api_rate_buckets (
    key_id INTEGER PRIMARY KEY,
    state  BLOB
);
