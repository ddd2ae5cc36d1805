-- An admin's suspension of an account, kept apart from the user's own chat state
-- (users.state), which the user may change at will: a suspended user can neither chat
-- nor use API keys nor sign in, and only an admin lifts it.
CREATE TABLE user_suspensions (
    user_id       BIGINT NOT NULL PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
    suspended_by  BIGINT REFERENCES users (id) ON DELETE SET NULL,
    suspended_at  BIGINT NOT NULL
);
