package dev.platform.etl.runner.connect;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.platform.etl.api.manifest.Secrets;
import java.time.Duration;
import org.postgresql.ds.PGSimpleDataSource;
import org.postgresql.jdbc.PreferQueryMode;

/** Where a PostgreSQL database is and how to log in. Never printed with its password. */
public record PostgresEndpoint(String jdbcUrl, String username, String password) {
    public static final String JDBC_URL_KEY = "jdbcUrl";
    public static final String USERNAME_KEY = "username";
    public static final String PASSWORD_KEY = "password";
    private static final String APPLICATION_NAME = "etl-runner";

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
     * A small pool that writes: the control schema's, a target's. Creating it never fails: an
     * unreachable database shows up when a connection is taken, where the retry policy can see it.
     * A session left idle in a transaction for {@code idleInTransaction} is ended by the server,
     * and TCP keepalives find a peer that is gone: either way a runner that froze, or lost its
     * network, in the middle of a batch releases the lease row and the rows it was writing, so that
     * its lease can expire and another runner take the pipeline over.
     */
    public HikariDataSource writerPool(String name, int size, Duration idleInTransaction) {
        HikariConfig config = config(name, size, false);
        config.addDataSourceProperty("tcpKeepAlive", "true");
        config.setConnectionInitSql("SET idle_in_transaction_session_timeout = " + idleInTransaction.toMillis());
        config.setIsolateInternalQueries(true);
        return new HikariDataSource(config);
    }

    /**
     * A pool of read-only connections whose every statement is cancelled after {@code statementTimeout}.
     * Each connection sets the timeout once, when the pool opens it, so no page of a read pays a
     * statement for it; and not as a startup option, which an {@code options} parameter in the
     * secret's URL would replace.
     *
     * <p>Whatever the secret's URL says, the driver uses the extended query protocol, in which the
     * server takes one statement per execution, and begins every transaction {@code READ ONLY}.
     */
    public HikariDataSource readerPool(String name, int size, Duration statementTimeout) {
        HikariConfig config = config(name, size, true);
        PGSimpleDataSource driver = new PGSimpleDataSource();
        driver.setUrl(jdbcUrl);
        driver.setPreferQueryMode(PreferQueryMode.EXTENDED);
        driver.setReadOnly(true);
        driver.setReadOnlyMode("transaction");
        driver.setApplicationName(APPLICATION_NAME);
        config.setJdbcUrl(null);
        config.setDataSource(driver);
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
        config.addDataSourceProperty("ApplicationName", APPLICATION_NAME);
        return config;
    }

    @Override
    public String toString() {
        String redacted = jdbcUrl.replaceAll("(?i)(password=)[^&]*", "$1***");
        return "PostgresEndpoint[" + redacted + (username == null ? "" : " as " + username) + "]";
    }
}
