-- Facts a user asked to be remembered (/remember); they go into the system prompt of that
-- user's turns on every platform, and only theirs.
CREATE TABLE user_memories (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    user_id     BIGINT  NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    fact        TEXT    NOT NULL,
    created_at  BIGINT  NOT NULL
);
CREATE INDEX user_memories_user ON user_memories (user_id, id);
