-- The keys a full load with deleteMissing has written so far, one row per key (as a jsonb array
-- of the key columns' values), committed with their batch: a paused or failed load keeps them,
-- and when the load completes, target rows whose key is not here are deleted, then these rows.
CREATE TABLE etl.full_load_keys (
    pipeline text NOT NULL,
    key      jsonb NOT NULL
);
CREATE INDEX full_load_keys_pipeline ON etl.full_load_keys (pipeline);
