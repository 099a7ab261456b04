package dev.platform.etl.testkit.demo;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * The demo schema ({@code demo/schema.sql}) with deterministic rows: the same {@code rows} always give the
 * same ids, titles, ratings and timestamps.
 */
public final class DemoData {
    public static final String SOURCE_TABLE = "content.film_work";
    public static final String TARGET_TABLE = "analytics.film_dim";

    private DemoData() {
    }

    /** Drops and recreates {@code content} and {@code analytics}, then inserts {@code rows} films. */
    public static void reset(Connection connection, int rows) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            statement.execute(schemaSql());
        }
        insertFilms(connection, 1, rows);
    }

    /** Inserts films {@code from}..{@code to}, deterministic in their number. */
    public static void insertFilms(Connection connection, int from, int to) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement("""
                INSERT INTO content.film_work (id, title, description, creation_date, rating, type, created, modified)
                SELECT md5('film-' || i)::uuid,
                       'Film #' || i,
                       'Deterministic demo film number ' || i,
                       date '1970-01-01' + (i % 20000),
                       round(((i * 37) % 100) / 10.0, 1),
                       CASE WHEN i % 4 = 0 THEN 'tv_show' ELSE 'movie' END,
                       timestamptz '2024-01-01 00:00:00+00' + i * interval '1 second',
                       timestamptz '2024-01-01 00:00:00+00' + i * interval '1 second'
                  FROM generate_series(?, ?) AS i""")) {
            statement.setInt(1, from);
            statement.setInt(2, to);
            statement.executeUpdate();
        }
        if (!connection.getAutoCommit()) {
            connection.commit();
        }
    }

    /** Touches one film (the first by id), as an application would: {@code modified = now()}. */
    public static String touchOne(Connection connection) throws SQLException {
        try (Statement statement = connection.createStatement();
             var rs = statement.executeQuery("""
                     UPDATE content.film_work SET modified = now(), title = title || ' (touched)'
                      WHERE id = (SELECT id FROM content.film_work ORDER BY id LIMIT 1)
                     RETURNING id::text""")) {
            rs.next();
            return rs.getString(1);
        }
    }

    private static String schemaSql() {
        try (InputStream in = DemoData.class.getResourceAsStream("/demo/schema.sql")) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException | NullPointerException e) {
            throw new IllegalStateException("demo/schema.sql is missing from the test kit", e);
        }
    }
}
