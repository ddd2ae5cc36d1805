-- A tool call waiting for its user's yes or no. The answer that asked is finished (no thread
-- waits for the user); a press of the button takes the row (decision set once), and the answer
-- that carries on after it runs the call first, found by continued_answer. No foreign keys: users
-- and sessions may live in DynamoDB (the serverless edition), and a row outlives nothing: it expires.
CREATE TABLE tool_confirmations (
    id               INTEGER PRIMARY KEY AUTOINCREMENT,
    user_id          BIGINT NOT NULL,
    session_id       BIGINT NOT NULL,
    answer_id        BIGINT NOT NULL,
    call_id          TEXT   NOT NULL,
    tool             TEXT   NOT NULL,
    arguments        TEXT   NOT NULL,
    expires_at       BIGINT NOT NULL,
    decision         TEXT,
    continued_answer BIGINT,
    created_at       BIGINT NOT NULL
);
CREATE INDEX tool_confirmations_answer ON tool_confirmations (answer_id);
CREATE INDEX tool_confirmations_continued ON tool_confirmations (continued_answer);
