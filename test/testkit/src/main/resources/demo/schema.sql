-- Demo schema: applied only by the demo and the tests, never by the runner.
DROP SCHEMA IF EXISTS content CASCADE;
DROP SCHEMA IF EXISTS analytics CASCADE;

CREATE SCHEMA content;
CREATE TABLE content.film_work (
    id            uuid PRIMARY KEY,
    title         text        NOT NULL,
    description   text,
    creation_date date,
    rating        numeric(3, 1),
    type          text        NOT NULL,
    created       timestamptz NOT NULL,
    modified      timestamptz NOT NULL
);
CREATE INDEX film_work_modified_id ON content.film_work (modified, id);

CREATE SCHEMA analytics;
CREATE TABLE analytics.film_dim (
    film_id       uuid PRIMARY KEY,
    title         text NOT NULL,
    description   text,
    creation_date date,
    rating        numeric(3, 1),
    modified      timestamptz,
    source_system text
);
