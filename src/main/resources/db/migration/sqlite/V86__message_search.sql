-- Full-text search over every message's text, SQLite dialect (twin of
-- ../postgresql/V86__message_search.sql): an FTS5 index whose row id is the message's id,
-- kept by triggers as messages are written, answered and removed. Only the text parts of
-- a message's JSON content are indexed, not image hashes or part types.
CREATE VIRTUAL TABLE message_search USING fts5(body, tokenize = 'unicode61 remove_diacritics 2');

INSERT INTO message_search (rowid, body)
SELECT m.id, coalesce((SELECT group_concat(json_extract(p.value, '$.text'), char(10)) FROM json_each(m.content) p
                        WHERE json_extract(p.value, '$.type') = 'text'), '')
  FROM messages m;

CREATE TRIGGER message_search_insert AFTER INSERT ON messages BEGIN
    INSERT INTO message_search (rowid, body)
    VALUES (new.id, coalesce((SELECT group_concat(json_extract(p.value, '$.text'), char(10)) FROM json_each(new.content) p
                              WHERE json_extract(p.value, '$.type') = 'text'), ''));
END;

CREATE TRIGGER message_search_update AFTER UPDATE OF content ON messages BEGIN
    DELETE FROM message_search WHERE rowid = old.id;
    INSERT INTO message_search (rowid, body)
    VALUES (new.id, coalesce((SELECT group_concat(json_extract(p.value, '$.text'), char(10)) FROM json_each(new.content) p
                              WHERE json_extract(p.value, '$.type') = 'text'), ''));
END;

CREATE TRIGGER message_search_delete AFTER DELETE ON messages BEGIN
    DELETE FROM message_search WHERE rowid = old.id;
END;
