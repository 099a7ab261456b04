-- A full load's progress gets a column of its own, so that a Full run of a pipeline never
-- overwrites (and, when it completes, clears) the checkpoint of its incremental runs.
ALTER TABLE etl.pipeline_state ADD COLUMN full_load_checkpoint jsonb;

UPDATE etl.pipeline_state
   SET full_load_checkpoint = checkpoint, checkpoint = NULL
 WHERE checkpoint ->> 'mode' = 'Full';
