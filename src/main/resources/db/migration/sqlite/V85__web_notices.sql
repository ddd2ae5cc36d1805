-- The web page's command answers, kept in their session so that a reload shows the whole
-- conversation: the command as the page shows it (a button press reads as what it does),
-- and the replies as JSON (text, buttons, the image job they follow). SQLite dialect, twin
-- of ../postgresql/V85__web_notices.sql.
CREATE TABLE web_notices (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    session_id  BIGINT  NOT NULL REFERENCES sessions (id) ON DELETE CASCADE,
    user_id     BIGINT  NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    command     TEXT    NOT NULL,
    replies     TEXT    NOT NULL,
    created_at  BIGINT  NOT NULL
);
CREATE INDEX web_notices_session ON web_notices (session_id, created_at);
