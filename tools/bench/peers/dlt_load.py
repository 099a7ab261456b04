"""make bench PEERS=1: dlt moves the bench's films into PostgreSQL, as a dlt user would.

Reads the view bench_peers.film_source (the films with a text key: dlt cannot merge on a uuid key)
with the connectorx backend and merges it into bench_dlt.film_dim by film_id. The source and
destination URL is BENCH_POSTGRES_URL. Prints the rows loaded.
"""
import os

import dlt
from dlt.sources.sql_database import sql_table


def main():
    url = os.environ["BENCH_POSTGRES_URL"]
    # SQLAlchemy 2.1 takes postgresql:// for psycopg 3; dlt[postgres] brings psycopg2
    source = url.replace("postgresql://", "postgresql+psycopg2://", 1)
    films = sql_table(credentials=source, schema="bench_peers", table="film_source", backend="connectorx")
    films.apply_hints(table_name="film_dim", primary_key="film_id", write_disposition="merge")
    pipeline = dlt.pipeline(pipeline_name="bench_films", destination=dlt.destinations.postgres(credentials=url),
                            dataset_name="bench_dlt", pipelines_dir=os.environ["BENCH_DLT_DIR"])
    info = pipeline.run(films)
    print(info)


if __name__ == "__main__":
    main()
