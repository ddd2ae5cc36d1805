-- Who asked for spoken answers (/user voice on): a row is "on".
CREATE TABLE voice_speakers (
    user_id    BIGINT  PRIMARY KEY,
    changed_at BIGINT  NOT NULL
);

-- Answers spoken by the text-to-speech model, a long one in several pieces; kept so that a
-- delivery sent again (a retry, another platform's send) plays the same audio and is
-- billed once.
CREATE TABLE voice_speech (
    answer_id   BIGINT  NOT NULL,
    piece       INTEGER NOT NULL,
    user_id     BIGINT  NOT NULL,
    mime_type   TEXT    NOT NULL,
    duration_ms BIGINT  NOT NULL,
    characters  BIGINT  NOT NULL,
    model       TEXT    NOT NULL,
    bytes       BYTEA   NOT NULL,
    created_at  BIGINT  NOT NULL,
    PRIMARY KEY (answer_id, piece)
);
