package dev.platform.etl.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.platform.etl.testkit.kube.RepositoryRoot;
import dev.platform.etl.testkit.postgres.PostgresServer;
import dev.platform.etl.testkit.process.Ports;
import dev.platform.etl.testkit.process.Processes;
import io.fabric8.kubernetes.client.Config;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The Makefile's local cluster as a user drives it: it comes up with the chart, the demo database
 * and the example pipelines, and {@code make down} leaves none of it running.
 */
class LocalClusterVerbsTest {
    private final Path root = RepositoryRoot.find();
    private final int databasePort = Ports.free();
    private final Path demo = root.resolve("test/e2e/target/local-cluster-" + databasePort);

    @AfterEach
    void leaveNothingRunning() {
        make("down");
        if (accepts(databasePort)) {
            PostgresServer.startOrAttach(demo.resolve("pgdata"), databasePort).stop();
        }
    }

    @Test
    void makeDownStopsTheLocalClusterAndItsDemoDatabaseAndKeepsTheData() throws Exception {
        Processes.Result up = make("up-local-start");
        assertThat(up.exitCode()).as(up.output()).isZero();
        assertThat(up.output()).contains("film-dim", "film-dim-inc");
        URI apiServer = URI.create(Config.fromKubeconfig(Files.readString(demo.resolve("kubeconfig"))).getMasterUrl());
        long clusterPid = Long.parseLong(Files.readString(demo.resolve("cluster.pid")).trim());
        assertThat(accepts(apiServer.getPort())).as("the API server answers").isTrue();
        assertThat(accepts(databasePort)).as("the demo database answers").isTrue();

        Processes.Result down = make("down");

        assertThat(down.exitCode()).as(down.output()).isZero();
        assertThat(down.output()).contains("local cluster stopped");
        assertThat(ProcessHandle.of(clusterPid).filter(ProcessHandle::isAlive)).as("the cluster's JVM").isEmpty();
        assertThat(accepts(apiServer.getPort())).as("the API server answers after make down").isFalse();
        assertThat(accepts(databasePort)).as("the demo database answers after make down").isFalse();
        assertThat(demo.resolve("pgdata/PG_VERSION")).as("the demo data stays").exists();
        assertThat(demo.resolve("local-cluster")).doesNotExist();
    }

    private Processes.Result make(String verb) {
        return Processes.execute(List.of("make", "-s", "-C", root.toString(), verb, "DEMO_DIR=" + demo),
                Map.of("ETL_DEMO_PG_PORT", String.valueOf(databasePort)));
    }

    private static boolean accepts(int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
            return true;
        } catch (IOException refused) {
            return false;
        }
    }
}
