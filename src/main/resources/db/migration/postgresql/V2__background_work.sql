-- Durable background work (db-scheduler's table; PostgreSQL dialect, twin of
-- ../sqlite/V2__background_work.sql) and the platform events already taken in.

CREATE TABLE scheduled_tasks (
    task_name             TEXT      NOT NULL,
    task_instance         TEXT      NOT NULL,
    task_data             BYTEA,
    execution_time        TIMESTAMP WITH TIME ZONE NOT NULL,
    picked                BOOLEAN   NOT NULL,
    picked_by             TEXT,
    last_success          TIMESTAMP WITH TIME ZONE,
    last_failure          TIMESTAMP WITH TIME ZONE,
    consecutive_failures  INTEGER,
    last_heartbeat        TIMESTAMP WITH TIME ZONE,
    version               BIGINT    NOT NULL,
    priority              SMALLINT,
    PRIMARY KEY (task_name, task_instance)
);
CREATE INDEX scheduled_tasks_execution_time ON scheduled_tasks (execution_time);
CREATE INDEX scheduled_tasks_last_heartbeat ON scheduled_tasks (last_heartbeat);
CREATE INDEX scheduled_tasks_priority_execution_time ON scheduled_tasks (priority DESC, execution_time ASC);

-- A platform event id is taken in once: redeliveries and retries find it here.
CREATE TABLE inbound_events (
    platform     TEXT   NOT NULL,
    event_id     TEXT   NOT NULL,
    received_at  BIGINT NOT NULL,
    PRIMARY KEY (platform, event_id)
);
CREATE INDEX inbound_events_received ON inbound_events (received_at);
