-- Image jobs (seed 000's Midjourney flow), SQLite dialect. Its twin for PostgreSQL is
-- ../postgresql/V10__image_jobs.sql: keep both in step, column for column.
-- A job is recorded before its provider is called and patched as the provider reports
-- (create -> send -> parse -> patch); its durable execution is a db-scheduler task named
-- 'image-job' whose instance id is the job's id.

CREATE TABLE image_jobs (
    id                INTEGER PRIMARY KEY AUTOINCREMENT,
    owner_id          BIGINT  NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    kind              TEXT    NOT NULL CHECK (kind IN ('origin', 'upscale', 'vary_strong', 'vary_subtle', 'reroll')),
    -- what the provider is asked to do; a reroll repeats its parent's work
    work              TEXT    NOT NULL CHECK (work IN ('origin', 'upscale', 'vary_strong', 'vary_subtle')),
    parent_id         BIGINT  REFERENCES image_jobs (id) ON DELETE SET NULL,
    parent_index      INTEGER CHECK (parent_index BETWEEN 1 AND 4),
    -- the image worked on (a parent's candidate or upscale), for upscale and vary
    source_sha256     TEXT    REFERENCES media (sha256),
    prompt            TEXT    NOT NULL,
    negative_prompt   TEXT,
    provider          TEXT    NOT NULL,
    model             TEXT,
    width             INTEGER,
    height            INTEGER,
    seed              BIGINT,
    steps             INTEGER,
    cfg_scale         DOUBLE PRECISION,
    sampler           TEXT,
    provider_task_id  TEXT,
    -- what the provider needs to act on this job's results later (e.g. midjourney-proxy's buttons)
    provider_state    TEXT,
    state             TEXT    NOT NULL CHECK (state IN ('queued', 'submitted', 'running', 'succeeded', 'failed', 'cancelled')),
    progress          INTEGER NOT NULL DEFAULT 0 CHECK (progress BETWEEN 0 AND 100),
    failure_reason    TEXT,
    attempts          INTEGER NOT NULL DEFAULT 0,
    grid_sha256       TEXT    REFERENCES media (sha256),
    requester_platform TEXT   NOT NULL,
    requester_id      TEXT    NOT NULL,
    origin_platform   TEXT    NOT NULL,
    origin_kind       TEXT    NOT NULL,
    origin_space      TEXT,
    origin_thread     TEXT,
    created_at        BIGINT  NOT NULL,
    updated_at        BIGINT  NOT NULL,
    submitted_at      BIGINT,
    finished_at       BIGINT
);
CREATE INDEX image_jobs_owner ON image_jobs (owner_id, id DESC);
CREATE INDEX image_jobs_parent ON image_jobs (parent_id);
CREATE INDEX image_jobs_provider_state ON image_jobs (provider, state, id);
CREATE INDEX image_jobs_owner_state ON image_jobs (owner_id, state, id);
CREATE INDEX image_jobs_provider_task ON image_jobs (provider, provider_task_id);

-- A job's result images: candidates 1-4, or the one image of an upscale (index 1).
CREATE TABLE image_candidates (
    job_id   BIGINT  NOT NULL REFERENCES image_jobs (id) ON DELETE CASCADE,
    idx      INTEGER NOT NULL CHECK (idx BETWEEN 1 AND 4),
    sha256   TEXT    NOT NULL REFERENCES media (sha256),
    PRIMARY KEY (job_id, idx)
);

-- One row per provider, written first by every admission to that provider's slots, so
-- that on PostgreSQL two nodes admitting at once take turns (its row lock) and never
-- exceed the provider's limit. (SQLite has one writer at a time anyway.)
CREATE TABLE image_provider_locks (
    provider    TEXT   PRIMARY KEY,
    touched_at  BIGINT NOT NULL
);
