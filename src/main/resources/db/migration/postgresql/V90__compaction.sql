-- Compaction: a topic's running summary of its older messages. Messages from_seq to
-- through_seq are told by the summary; later ones go into a turn's context verbatim. The
-- history itself is kept whole. steps counts the compactions folded into the summary.
CREATE TABLE topic_summaries (
    session_id   BIGINT  NOT NULL REFERENCES sessions (id) ON DELETE CASCADE,
    topic        INTEGER NOT NULL,
    from_seq     INTEGER NOT NULL,
    through_seq  INTEGER NOT NULL,
    content      TEXT    NOT NULL,
    token_count  INTEGER NOT NULL,
    model        TEXT    NOT NULL,
    steps        INTEGER NOT NULL,
    updated_at   BIGINT  NOT NULL,
    PRIMARY KEY (session_id, topic)
);

-- Input tokens of an answer that the provider read from its prompt cache.
ALTER TABLE messages ADD COLUMN tokens_cached INTEGER;
