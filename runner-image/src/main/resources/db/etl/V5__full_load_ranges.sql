-- The ranges of a full load split by spec.parallelism, one row per range: computed once, by the
-- first range to start, and kept until the load completes, so that a paused, crashed or failed load
-- resumes over the same ranges even after the source grew. Each range's lease and checkpoint are
-- in etl.pipeline_state under the key 'namespace/name#index'.
CREATE TABLE etl.full_load_range (
    pipeline     text    NOT NULL,   -- namespace/name
    range_index  int     NOT NULL,
    range_count  int     NOT NULL,
    lower_bound  text,               -- the range holds tie-breakers above this (NULL: from the first)
    upper_bound  text,               -- and up to this one (NULL: to the last)
    done         boolean NOT NULL DEFAULT false,
    completed_by text,               -- the run that completed the whole load, once every range is done
    PRIMARY KEY (pipeline, range_index)
);
