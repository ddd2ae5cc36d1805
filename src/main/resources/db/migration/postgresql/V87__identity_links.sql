-- One person on every platform: /link makes a short one-time code (only its hash is kept)
-- that, sent from another platform, joins that platform's identity to the code's user.
-- identity_links remembers whose the identity was before, so /unlink can give it back;
-- link_failures counts wrong codes per identity, so codes cannot be guessed.
CREATE TABLE link_codes (
    code_hash   TEXT   PRIMARY KEY,
    user_id     BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    created_at  BIGINT NOT NULL,
    expires_at  BIGINT NOT NULL,
    used_at     BIGINT
);
CREATE INDEX link_codes_user ON link_codes (user_id, created_at);

CREATE TABLE identity_links (
    platform          TEXT   NOT NULL,
    platform_user_id  TEXT   NOT NULL,
    previous_user_id  BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    linked_to         BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    linked_at         BIGINT NOT NULL,
    PRIMARY KEY (platform, platform_user_id)
);

CREATE TABLE link_failures (
    platform          TEXT   NOT NULL,
    platform_user_id  TEXT   NOT NULL,
    failed_at         BIGINT NOT NULL
);
CREATE INDEX link_failures_identity ON link_failures (platform, platform_user_id, failed_at);
