package dev.platform.etl.runner.connect;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.platform.etl.api.manifest.Secrets;
import java.time.Duration;

/** Where a PostgreSQL database is and how to log in. Never printed with its password. */
public record PostgresEndpoint(String jdbcUrl, String username, String password) {
    public static final String JDBC_URL_KEY = "jdbcUrl";
    public static final String USERNAME_KEY = "username";
    public static final String PASSWORD_KEY = "password";

    public static PostgresEndpoint fromSecret(Secrets secrets, String secretName) {
        return new PostgresEndpoint(
                secrets.require(secretName, JDBC_URL_KEY),
                secrets.value(secretName, USERNAME_KEY).orElse(null),
                secrets.value(secretName, PASSWORD_KEY).orElse(null));
    }

    /** A JDBC URL that carries its own credentials, as {@code --control-db} takes it. */
    public static PostgresEndpoint fromUrl(String jdbcUrl) {
        return new PostgresEndpoint(jdbcUrl, null, null);
    }

    /**
     * A small pool. Creating it never fails: an unreachable database shows up when a connection is
     * taken, where the retry policy can see it.
     */
    public HikariDataSource pool(String name, int size, boolean readOnly) {
        return new HikariDataSource(config(name, size, readOnly));
    }

    /**
     * A pool of read-only connections whose every statement is cancelled after {@code statementTimeout}.
     * Each connection sets the timeout once, when the pool opens it, so no page of a read pays a
     * statement for it; and not as a startup option, which an {@code options} parameter in the
     * secret's URL would replace.
     */
    public HikariDataSource readerPool(String name, int size, Duration statementTimeout) {
        HikariConfig config = config(name, size, true);
        config.setConnectionInitSql("SET statement_timeout = " + statementTimeout.toMillis());
        // committed on its own, before the connection is first handed out
        config.setIsolateInternalQueries(true);
        return new HikariDataSource(config);
    }

    private HikariConfig config(String name, int size, boolean readOnly) {
        HikariConfig config = new HikariConfig();
        config.setPoolName(name);
        config.setJdbcUrl(jdbcUrl);
        config.setUsername(username);
        config.setPassword(password);
        config.setMaximumPoolSize(size);
        config.setMinimumIdle(0);
        config.setReadOnly(readOnly);
        config.setAutoCommit(false);
        config.setConnectionTimeout(10_000);
        config.setInitializationFailTimeout(-1);
        config.addDataSourceProperty("ApplicationName", "etl-runner");
        return config;
    }

    @Override
    public String toString() {
        String redacted = jdbcUrl.replaceAll("(?i)(password=)[^&]*", "$1***");
        return "PostgresEndpoint[" + redacted + (username == null ? "" : " as " + username) + "]";
    }
}
