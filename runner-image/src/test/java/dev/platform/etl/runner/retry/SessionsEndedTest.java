package dev.platform.etl.runner.retry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.platform.etl.api.manifest.ManifestLoader;
import dev.platform.etl.api.manifest.PipelineManifests;
import dev.platform.etl.runner.connect.Connections;
import dev.platform.etl.runner.control.ControlDatabase;
import dev.platform.etl.testkit.postgres.SharedPostgres;
import dev.platform.etl.testkit.postgres.TestDatabase;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * After a restart of PostgreSQL every pooled connection is dead, and the pool hands out one used
 * in the last half second without checking it: a retry must not get one of them. Here the server
 * ends every session of a pool of three, each used a moment before. This JVM widens that half
 * second to an hour (runner-image/pom.xml), so that a loaded machine, slow between the use and the
 * retry, cannot turn the dead connections into checked, fresh ones.
 */
class SessionsEndedTest {
    private static final Duration AT_ONCE = Duration.ofMillis(1);

    private final TestDatabase database = SharedPostgres.get().freshDatabase();

    @Test
    void aRetryAfterTheServerEndedTheSessionsGetsANewOne() throws Exception {
        try (Connections connections = open()) {
            ControlDatabase control = new ControlDatabase(connections.control());
            endEverySessionJustUsed(connections);

            long answer = new Retries(3, AT_ONCE, AT_ONCE, connections::evictAll).call("select", Stage.CONTROL,
                    () -> control.inTransaction(this::selectOne));

            assertThat(answer).isEqualTo(1);
        }
    }

    /** What the same retries meet without emptying the pool: a dead connection on every attempt. */
    @Test
    void withoutEmptyingThePoolEveryAttemptGetsADeadConnection() throws Exception {
        try (Connections connections = open()) {
            ControlDatabase control = new ControlDatabase(connections.control());
            endEverySessionJustUsed(connections);

            assertThatThrownBy(() -> new Retries(3, AT_ONCE, AT_ONCE).call("select", Stage.CONTROL, () -> control.inTransaction(this::selectOne)))
                    .isInstanceOf(SQLException.class)
                    .satisfies(e -> assertThat(ErrorClassifier.endedASession(e)).isTrue());
        }
    }

    private long selectOne(Connection connection) throws SQLException {
        try (Statement statement = connection.createStatement(); var rs = statement.executeQuery("SELECT 1")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /** Fills the control pool with three connections, uses each, and has the server end all three. */
    private void endEverySessionJustUsed(Connections connections) throws SQLException {
        List<Connection> borrowed = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            borrowed.add(connections.control().getConnection());
        }
        List<Integer> pids = new ArrayList<>();
        for (Connection connection : borrowed) {
            try (Statement statement = connection.createStatement(); var rs = statement.executeQuery("SELECT pg_backend_pid()")) {
                rs.next();
                pids.add(rs.getInt(1));
            }
            connection.commit();
        }
        for (Connection connection : borrowed) {
            connection.close();
        }
        try (Connection admin = database.connect(); Statement statement = admin.createStatement()) {
            for (int pid : pids) {
                statement.execute("SELECT pg_terminate_backend(" + pid + ", 10000)");
            }
        }
    }

    private Connections open() throws Exception {
        PipelineManifests manifests = new PipelineManifests(new ManifestLoader().parsePipeline("""
                apiVersion: etl.platform.dev/v1alpha1
                kind: EtlPipeline
                metadata: {name: ended, namespace: etl-test}
                spec:
                  source: {postgres: {secretRef: db}}
                  tasks: [{sqlReader: {query: SELECT 1 AS id}}]
                  target: {postgres: {secretRef: db, table: analytics.t, keyColumns: [id]}}
                """), Map.of("db", Map.of("jdbcUrl", database.jdbcUrl(), "username", database.username(),
                "password", database.password() == null ? "" : database.password())));
        return Connections.open(manifests.pipeline().getSpec(), manifests, null, Duration.ofSeconds(15));
    }
}
