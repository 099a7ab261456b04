package dev.platform.etl.testkit.postgres;

import dev.platform.etl.testkit.process.Processes;
import dev.platform.etl.testkit.process.UnprivilegedUser;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * A real PostgreSQL server on loopback, from zonky's binaries, in a throw-away data folder.
 * Started as an unprivileged user when this JVM is root. {@link #close()} stops it and removes its data.
 */
public final class PostgresServer implements AutoCloseable {
    public static final String SUPERUSER = "postgres";
    private static final Duration START_TIMEOUT = Duration.ofSeconds(60);

    private final Path binaries;
    private final Path dataDirectory;
    private final int port;

    private PostgresServer(Path binaries, Path dataDirectory, int port) {
        this.binaries = binaries;
        this.dataDirectory = dataDirectory;
        this.port = port;
    }

    public static PostgresServer start() {
        try {
            Path binaries = PostgresBinaries.unpack();
            Path data = Files.createTempDirectory("etl-postgres-data");
            UnprivilegedUser.own(data);
            PostgresServer server = new PostgresServer(binaries, data, freePort());
            server.initdb();
            server.startPostmaster();
            return server;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start PostgreSQL", e);
        }
    }

    public int port() {
        return port;
    }

    /** A JDBC URL for the superuser (trust authentication on loopback). */
    public String jdbcUrl(String database) {
        return "jdbc:postgresql://127.0.0.1:" + port + "/" + database;
    }

    public Connection connect(String database) throws SQLException {
        return DriverManager.getConnection(jdbcUrl(database), SUPERUSER, "");
    }

    private void initdb() {
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

    @Override
    public void close() {
        Processes.exitCode(UnprivilegedUser.wrap(List.of(
                bin("pg_ctl"), "-D", dataDirectory.toString(), "-m", "fast", "-w", "-t", "30", "stop")));
        Processes.exitCode(List.of("rm", "-rf", dataDirectory.toString()));
    }

    private String bin(String program) {
        return binaries.resolve("bin").resolve(program).toString();
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
