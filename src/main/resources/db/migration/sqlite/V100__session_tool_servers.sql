-- Which MCP servers a session uses, where its owner chose otherwise than the server's default.
CREATE TABLE session_tool_servers (
    session_id BIGINT  NOT NULL REFERENCES sessions (id) ON DELETE CASCADE,
    server     TEXT    NOT NULL,
    enabled    BOOLEAN NOT NULL,
    PRIMARY KEY (session_id, server)
);
