-- Switchboard foundation schema, SQLite dialect. Its twin for PostgreSQL is
-- ../postgresql/V1__foundation.sql: keep both in step, column for column.
-- Times are epoch milliseconds (UTC) in BIGINT columns, so the same repository code reads both.
-- Money is kept in billionths of a US dollar ("nanos") so sums stay exact.

CREATE TABLE users (
    id                    INTEGER PRIMARY KEY AUTOINCREMENT,
    display_name          TEXT    NOT NULL,
    role                  TEXT    NOT NULL DEFAULT 'member' CHECK (role IN ('admin', 'member')),
    state                 TEXT    NOT NULL CHECK (state IN ('new', 'active', 'disabled')),
    mode                  TEXT    NOT NULL DEFAULT 'chat' CHECK (mode IN ('chat', 'image')),
    default_model         TEXT,
    default_system_prompt TEXT,
    max_output_tokens     INTEGER,
    current_session_id    BIGINT,
    show_public_sessions  INTEGER NOT NULL DEFAULT 0,
    attach_new_sessions   INTEGER NOT NULL DEFAULT 1,
    created_at            BIGINT  NOT NULL,
    updated_at            BIGINT  NOT NULL,
    modified_at           BIGINT  NOT NULL
);

CREATE TABLE platform_identities (
    platform          TEXT   NOT NULL,
    platform_user_id  TEXT   NOT NULL,
    user_id           BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    display_name      TEXT,
    created_at        BIGINT NOT NULL,
    PRIMARY KEY (platform, platform_user_id)
);
CREATE INDEX platform_identities_user ON platform_identities (user_id);

CREATE TABLE sessions (
    id               INTEGER PRIMARY KEY AUTOINCREMENT,
    owner_id         BIGINT  NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    title            TEXT    NOT NULL,
    model            TEXT    NOT NULL,
    system_prompt    TEXT,
    is_public        INTEGER NOT NULL DEFAULT 0,
    origin_platform  TEXT    NOT NULL,
    origin_kind      TEXT    NOT NULL CHECK (origin_kind IN ('direct', 'group', 'web', 'api')),
    origin_space     TEXT,
    origin_thread    TEXT,
    current_topic    INTEGER NOT NULL DEFAULT 1,
    created_at       BIGINT  NOT NULL,
    updated_at       BIGINT  NOT NULL,
    modified_at      BIGINT  NOT NULL
);
CREATE INDEX sessions_owner ON sessions (owner_id, updated_at DESC);
CREATE INDEX sessions_public ON sessions (is_public, updated_at DESC);
CREATE UNIQUE INDEX sessions_thread ON sessions (origin_platform, origin_space, origin_thread)
    WHERE origin_thread IS NOT NULL;

-- One row per message. (session_id, topic, seq) is seed 000's (dialog_count, dialog_order):
-- a "new topic" raises the session's current_topic, and context assembly reads one topic
-- newest first through the unique index, never the whole history.
CREATE TABLE messages (
    id               INTEGER PRIMARY KEY AUTOINCREMENT,
    session_id       BIGINT  NOT NULL REFERENCES sessions (id) ON DELETE CASCADE,
    topic            INTEGER NOT NULL,
    seq              INTEGER NOT NULL,
    role             TEXT    NOT NULL CHECK (role IN ('user', 'assistant')),
    author_id        BIGINT  REFERENCES users (id) ON DELETE SET NULL,
    content          TEXT    NOT NULL,
    token_count      INTEGER NOT NULL,
    model            TEXT,
    provider         TEXT,
    tokens_in        INTEGER,
    tokens_out       INTEGER,
    cost_nanos       BIGINT,
    latency_ms       INTEGER,
    context_omitted  INTEGER,
    finish_reason    TEXT,
    created_at       BIGINT  NOT NULL,
    UNIQUE (session_id, topic, seq)
);

-- Image bytes, stored once per content (sha256 of the bytes is the key).
CREATE TABLE media (
    sha256       TEXT    PRIMARY KEY,
    mime_type    TEXT    NOT NULL,
    size_bytes   BIGINT  NOT NULL,
    width        INTEGER NOT NULL,
    height       INTEGER NOT NULL,
    bytes        BLOB    NOT NULL,
    created_at   BIGINT  NOT NULL
);

-- Usage per user, model and UTC day, summed as calls are recorded.
CREATE TABLE usage_ledger (
    user_id     BIGINT  NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    model       TEXT    NOT NULL,
    day         TEXT    NOT NULL,
    requests    BIGINT  NOT NULL,
    tokens_in   BIGINT  NOT NULL,
    tokens_out  BIGINT  NOT NULL,
    cost_nanos  BIGINT  NOT NULL,
    PRIMARY KEY (user_id, model, day)
);

-- A destructive command (/user clear, /session remove) waits here for its confirmation.
CREATE TABLE pending_confirmations (
    user_id     BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    action      TEXT   NOT NULL,
    argument    TEXT   NOT NULL DEFAULT '',
    expires_at  BIGINT NOT NULL,
    PRIMARY KEY (user_id, action)
);

-- Web sign-in. The first account becomes the admin; the admin creates or invites the rest.
CREATE TABLE web_accounts (
    user_id        BIGINT PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
    username       TEXT   NOT NULL UNIQUE,
    password_hash  TEXT   NOT NULL,
    created_at     BIGINT NOT NULL
);

CREATE TABLE web_invitations (
    token_hash   TEXT   PRIMARY KEY,
    role         TEXT   NOT NULL CHECK (role IN ('admin', 'member')),
    created_by   BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    created_at   BIGINT NOT NULL,
    expires_at   BIGINT NOT NULL,
    used_at      BIGINT
);

-- Secrets the server makes for itself (e.g. the media link signing key when none is
-- configured), kept here so they survive restarts and are the same on every node.
CREATE TABLE server_secrets (
    name        TEXT   PRIMARY KEY,
    value       TEXT   NOT NULL,
    created_at  BIGINT NOT NULL
);
