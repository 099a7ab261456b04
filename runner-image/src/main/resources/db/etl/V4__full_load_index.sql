-- The index a full load behind an Elasticsearch alias writes into, from its first batch until the
-- alias moves to it: a paused or failed load resumes into its own index.
ALTER TABLE etl.pipeline_state ADD COLUMN full_load_index text;
