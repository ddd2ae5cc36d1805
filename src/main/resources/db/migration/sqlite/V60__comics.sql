-- Comics (seed 004's four-panel comic maker), SQLite dialect. Its twin for PostgreSQL is
-- ../postgresql/V60__comics.sql: keep both in step, column for column.
-- A comic keeps every step of its making (idea, story, prompts, panels, strip), so it can
-- be reopened and edited. A comic made by /comic runs its steps by itself as a
-- db-scheduler task named 'comic-run' whose instance id is the comic's id.

CREATE TABLE comics (
    id                 INTEGER PRIMARY KEY AUTOINCREMENT,
    owner_id           BIGINT  NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    idea               TEXT    NOT NULL,
    genre              TEXT,
    style              TEXT,
    -- the model that writes the story and prompts; NULL: the server's comic or default model
    model              TEXT,
    layout             TEXT    NOT NULL CHECK (layout IN ('vertical', 'grid')),
    -- the furthest step reached
    stage              TEXT    NOT NULL CHECK (stage IN ('idea', 'story', 'prompts', 'panels', 'strip')),
    title              TEXT,
    character_sheet    TEXT,
    style_line         TEXT,
    -- image settings for every panel (seed 004's knobs); NULL: the provider's default
    provider           TEXT,
    seed               BIGINT,
    steps              INTEGER,
    cfg_scale          DOUBLE PRECISION,
    sampler            TEXT,
    strip_sha256       TEXT    REFERENCES media (sha256),
    -- only for comics that run by themselves (/comic): running, finished or failed
    run_state          TEXT    CHECK (run_state IN ('running', 'finished', 'failed')),
    failure_reason     TEXT,
    requester_platform TEXT    NOT NULL,
    requester_id       TEXT    NOT NULL,
    origin_platform    TEXT    NOT NULL,
    origin_kind        TEXT    NOT NULL,
    origin_space       TEXT,
    origin_thread      TEXT,
    created_at         BIGINT  NOT NULL,
    updated_at         BIGINT  NOT NULL
);
CREATE INDEX comics_owner ON comics (owner_id, id DESC);

-- The four panels of a comic: the story's text, the image prompts, the image job that
-- draws it and the candidate chosen as the panel.
CREATE TABLE comic_panels (
    comic_id         BIGINT  NOT NULL REFERENCES comics (id) ON DELETE CASCADE,
    idx              INTEGER NOT NULL CHECK (idx BETWEEN 1 AND 4),
    scene            TEXT    NOT NULL DEFAULT '',
    characters       TEXT    NOT NULL DEFAULT '',
    dialogue         TEXT    NOT NULL DEFAULT '',
    caption          TEXT    NOT NULL DEFAULT '',
    prompt           TEXT,
    negative_prompt  TEXT,
    job_id           BIGINT  REFERENCES image_jobs (id) ON DELETE SET NULL,
    candidate        INTEGER CHECK (candidate BETWEEN 1 AND 4),
    image_sha256     TEXT    REFERENCES media (sha256),
    PRIMARY KEY (comic_id, idx)
);
CREATE INDEX comic_panels_job ON comic_panels (job_id);
