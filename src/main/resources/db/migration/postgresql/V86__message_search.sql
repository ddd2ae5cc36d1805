-- Full-text search over every message's text, PostgreSQL dialect (twin of
-- ../sqlite/V86__message_search.sql): a GIN index on the tsvector of the text parts of a
-- message's JSON content (not image hashes or part types). The 'simple' configuration
-- lower-cases words without stemming, so every language is found the same way.
CREATE FUNCTION message_text(content TEXT) RETURNS TEXT
    LANGUAGE SQL IMMUTABLE PARALLEL SAFE
    AS $$
        SELECT coalesce(string_agg(part ->> 'text', E'\n'), '')
          FROM jsonb_array_elements(content::jsonb) AS part
         WHERE part ->> 'type' = 'text'
    $$;

CREATE INDEX messages_search ON messages USING GIN (to_tsvector('simple', message_text(content)));
