-- The UUID of the Elasticsearch index a pipeline last wrote: a run that finds another index under
-- that name (deleted and created again, by hand or by Elasticsearch itself) loads it from the start.
ALTER TABLE etl.pipeline_state ADD COLUMN target_index_uuid text;
