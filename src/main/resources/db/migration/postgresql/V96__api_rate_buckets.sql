-- Requests-per-minute buckets of API keys, shared by every node: Bucket4j keeps each key's
-- bucket state here and changes it under a row lock (SELECT ... FOR UPDATE), so three nodes
-- let through what one would. One row per limited key.
CREATE TABLE api_rate_buckets (
    key_id BIGINT PRIMARY KEY,
    state  BYTEA
);
