-- The control schema: one row of state per pipeline, one row per run attempt.
CREATE TABLE pipeline_state (
    pipeline         text PRIMARY KEY,               -- namespace/name
    checkpoint       jsonb,                          -- last committed row of the reader, see README
    pause_requested  boolean     NOT NULL DEFAULT false,
    lease_holder     text,                           -- who runs it now; NULL when nobody does
    lease_token      bigint      NOT NULL DEFAULT 0, -- fencing token, +1 on every claim
    lease_expires_at timestamptz,
    updated_at       timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE pipeline_run (
    id           bigserial PRIMARY KEY,
    run_id       text        NOT NULL,
    pipeline     text        NOT NULL,
    status       text        NOT NULL
        CHECK (status IN ('RUNNING', 'SUCCEEDED', 'FAILED', 'PAUSED', 'SKIPPED', 'ABANDONED')),
    holder       text,
    lease_token  bigint,
    started_at   timestamptz NOT NULL DEFAULT now(),
    finished_at  timestamptz,
    rows_read    bigint      NOT NULL DEFAULT 0,
    rows_written bigint      NOT NULL DEFAULT 0,
    batches      bigint      NOT NULL DEFAULT 0,
    checkpoint   jsonb,
    error        text
);

CREATE INDEX pipeline_run_by_pipeline ON pipeline_run (pipeline, id DESC);

-- The database itself refuses a second active run of one pipeline.
CREATE UNIQUE INDEX pipeline_run_one_running ON pipeline_run (pipeline) WHERE status = 'RUNNING';
