-- Demo rows for the cluster's PostgreSQL (the same 2,000 films the local demo creates).
INSERT INTO content.film_work (id, title, description, creation_date, rating, type, created, modified)
SELECT md5('film-' || i)::uuid, 'Film #' || i, 'Deterministic demo film number ' || i,
       date '1970-01-01' + (i % 20000), round(((i * 37) % 100) / 10.0, 1),
       CASE WHEN i % 4 = 0 THEN 'tv_show' ELSE 'movie' END,
       timestamptz '2024-01-01 00:00:00+00' + i * interval '1 second',
       timestamptz '2024-01-01 00:00:00+00' + i * interval '1 second'
  FROM generate_series(1, 2000) AS i;
