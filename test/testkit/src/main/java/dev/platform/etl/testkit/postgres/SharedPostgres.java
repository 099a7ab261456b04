package dev.platform.etl.testkit.postgres;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The one PostgreSQL of a test JVM: the server named by {@code ETL_TEST_PG_URL} (a superuser URL
 * such as {@code jdbc:postgresql://host:5432/postgres?user=postgres&password=secret}), or else an
 * embedded server started on first use and stopped when the JVM ends. Each test takes a fresh
 * database from it, so no state leaks between tests.
 */
public final class SharedPostgres {
    public static final String URL_ENV = "ETL_TEST_PG_URL";
    private static final Pattern URL = Pattern.compile("(jdbc:postgresql://[^/]+/)([^?]*)(\\?.*)?");

    private final String adminUrl;
    private final AtomicInteger databases = new AtomicInteger();

    private SharedPostgres(String adminUrl) {
        this.adminUrl = adminUrl;
    }

    private static final class Holder {
        static final SharedPostgres INSTANCE = create();

        private static SharedPostgres create() {
            String external = System.getenv(URL_ENV);
            if (external != null && !external.isBlank()) {
                return new SharedPostgres(external);
            }
            PostgresServer server = PostgresServer.start();
            Runtime.getRuntime().addShutdownHook(new Thread(server::close, "postgres-stop"));
            return new SharedPostgres(server.jdbcUrl("postgres") + "?user=" + PostgresServer.SUPERUSER);
        }
    }

    public static SharedPostgres get() {
        return Holder.INSTANCE;
    }

    /** A new, empty database on the shared server. */
    public TestDatabase freshDatabase() {
        String name = "etl_test_" + ProcessHandle.current().pid() + "_" + databases.incrementAndGet();
        try (Connection admin = DriverManager.getConnection(adminUrl); Statement statement = admin.createStatement()) {
            statement.execute("CREATE DATABASE " + name);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot create test database " + name + ": " + e.getMessage(), e);
        }
        Matcher m = URL.matcher(adminUrl);
        if (!m.matches()) {
            throw new IllegalStateException(URL_ENV + " is not a jdbc:postgresql:// URL");
        }
        String user = PostgresServer.SUPERUSER;
        String password = "";
        StringBuilder rest = new StringBuilder();
        String query = m.group(3) == null ? "" : m.group(3).substring(1);
        for (String parameter : query.split("&")) {
            if (parameter.startsWith("user=")) {
                user = parameter.substring(5);
            } else if (parameter.startsWith("password=")) {
                password = parameter.substring(9);
            } else if (!parameter.isEmpty()) {
                rest.append(rest.length() == 0 ? "?" : "&").append(parameter);
            }
        }
        return new TestDatabase(m.group(1) + name + rest, user, password);
    }
}
