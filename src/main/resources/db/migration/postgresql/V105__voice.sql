-- Voice messages, kept once per content with what was heard in them.
CREATE TABLE voice_clips (
    sha256      TEXT    PRIMARY KEY,
    mime_type   TEXT    NOT NULL,
    size_bytes  BIGINT  NOT NULL,
    duration_ms BIGINT  NOT NULL,
    transcript  TEXT    NOT NULL,
    model       TEXT    NOT NULL,
    bytes       BYTEA    NOT NULL,
    created_at  BIGINT  NOT NULL
);

-- Speech models are billed by the second of audio, not by tokens.
ALTER TABLE usage_ledger ADD COLUMN audio_seconds BIGINT NOT NULL DEFAULT 0;
