package dev.platform.etl.testkit.postgres;

import dev.platform.etl.testkit.process.Ports;
import dev.platform.etl.testkit.process.Processes;
import dev.platform.etl.testkit.process.UnprivilegedUser;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * A real PostgreSQL server on loopback, from zonky's binaries. Started as an unprivileged user
 * when this JVM is root. A temporary server ({@link #start()}) lives in a throw-away folder that
 * {@link #close()} removes; a persistent one ({@link #startOrAttach}) keeps its folder and keeps
 * running after this JVM ends, until {@link #stop()}.
 */
public final class PostgresServer implements AutoCloseable {
    public static final String SUPERUSER = "postgres";
    private static final Duration START_TIMEOUT = Duration.ofSeconds(60);

    private final Path binaries;
    private final Path dataDirectory;
    private final int port;
    private final boolean temporary;

    private PostgresServer(Path binaries, Path dataDirectory, int port, boolean temporary) {
        this.binaries = binaries;
        this.dataDirectory = dataDirectory;
        this.port = port;
        this.temporary = temporary;
    }

    /** A new server in a temporary folder, on a free port. */
    public static PostgresServer start() {
        try {
            Path data = Files.createTempDirectory("etl-postgres-data");
            PostgresServer server = new PostgresServer(PostgresBinaries.unpack(), data, Ports.free(), true);
            server.initdb();
            server.startPostmaster();
            return server;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start PostgreSQL", e);
        }
    }

    /** The server kept in {@code dataDirectory}: attached to when it runs, started (and first created) otherwise. */
    public static PostgresServer startOrAttach(Path dataDirectory, int port) {
        try {
            PostgresServer server = new PostgresServer(PostgresBinaries.unpack(), dataDirectory.toAbsolutePath(), port, false);
            if (!Files.exists(dataDirectory.resolve("PG_VERSION"))) {
                Files.createDirectories(dataDirectory);
                server.initdb();
            }
            if (!server.running()) {
                server.startPostmaster();
            }
            return server;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start PostgreSQL", e);
        }
    }

    public boolean running() {
        return Processes.exitCode(UnprivilegedUser.wrap(List.of(bin("pg_ctl"), "-D", dataDirectory.toString(), "status"))) == 0;
    }

    /** A JDBC URL for the superuser (trust authentication on loopback). */
    public String jdbcUrl(String database) {
        return "jdbc:postgresql://127.0.0.1:" + port + "/" + database;
    }

    public Connection connect(String database) throws SQLException {
        return DriverManager.getConnection(jdbcUrl(database), SUPERUSER, "");
    }

    private void initdb() {
        UnprivilegedUser.own(dataDirectory);
        Processes.run(UnprivilegedUser.wrap(List.of(
                bin("initdb"), "-A", "trust", "-U", SUPERUSER, "-D", dataDirectory.toString(),
                "-E", "UTF-8", "--locale=C", "--no-sync")));
    }

    private void startPostmaster() {
        List<String> options = new ArrayList<>(List.of(
                "-p", String.valueOf(port),
                "-c", "listen_addresses=127.0.0.1",
                "-c", "unix_socket_directories=" + dataDirectory,
                "-c", "max_connections=300",
                "-c", "fsync=off",
                "-c", "synchronous_commit=off",
                "-c", "full_page_writes=off",
                "-c", "timezone=UTC"));
        Processes.run(UnprivilegedUser.wrap(List.of(
                bin("pg_ctl"), "-D", dataDirectory.toString(), "-l", dataDirectory.resolve("server.log").toString(),
                "-o", String.join(" ", options), "-w", "-t", String.valueOf(START_TIMEOUT.toSeconds()), "start")));
    }

    /** Stops the server; a temporary server's data is removed. */
    @Override
    public void close() {
        stop();
        if (temporary) {
            Processes.exitCode(List.of("rm", "-rf", dataDirectory.toString()));
        }
    }

    public void stop() {
        Processes.exitCode(UnprivilegedUser.wrap(List.of(
                bin("pg_ctl"), "-D", dataDirectory.toString(), "-m", "fast", "-w", "-t", "30", "stop")));
    }

    private String bin(String program) {
        return binaries.resolve("bin").resolve(program).toString();
    }

}
