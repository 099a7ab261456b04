package dev.platform.etl.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.platform.etl.api.pod.PodEnvironment;
import dev.platform.etl.api.validation.Allowlist;
import dev.platform.etl.testkit.container.Container;
import dev.platform.etl.testkit.container.ContainerSpec;
import dev.platform.etl.testkit.container.ImageArchive;
import dev.platform.etl.testkit.container.RootFsCache;
import dev.platform.etl.testkit.container.Runc;
import dev.platform.etl.testkit.demo.DemoData;
import dev.platform.etl.testkit.pipeline.DemoPipelines;
import dev.platform.etl.testkit.kube.SharedCluster;
import dev.platform.etl.testkit.postgres.SharedPostgres;
import dev.platform.etl.testkit.postgres.TestDatabase;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The runner's image from {@code make images}, run by runc as a kubelet runs the operator's Jobs:
 * as uid 65532 with a read-only root, a /tmp of the pod's own and no capabilities. It is the image
 * that is tested here, not the jar: its entrypoint, user, read-only root, locale and JRE.
 */
class RunnerImageTest {
    private static final List<String> TITLES = List.of("Amélie", "Жизнь", "日本の夏");
    @TempDir
    Path pod;
    private TestDatabase database;
    private Runc runc;
    private Container container;

    @BeforeEach
    void setUp() throws Exception {
        assumeTrue(Runc.usable(), "runc and root are needed to run images; without them pods run as local JVMs");
        database = SharedPostgres.get().freshDatabase();
        try (Connection connection = database.connect()) {
            DemoData.reset(connection, TITLES.size());
        }
        for (int i = 0; i < TITLES.size(); i++) {
            database.execute("UPDATE content.film_work SET title = '" + TITLES.get(i) + "' WHERE title = 'Film #" + (i + 1) + "'");
        }
        Path home = Path.of(System.getProperty("user.home"), ".cache", "etl-operator", "rootfs");
        runc = new Runc(pod.resolve("runtime"), new RootFsCache(home));
    }

    @AfterEach
    void removeContainer() {
        if (container != null) {
            container.remove();
        }
    }

    @Test
    void aPipelineRunsFromTheImageAsNonRootAndItsRowsLandExactlyInUtf8() throws Exception {
        Path tmp = emptyDir("tmp");
        // as the kubelet creates it: any container user may write it
        Path terminationLog = Files.createFile(pod.resolve("termination-log"),
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-rw-rw-")));
        Files.setPosixFilePermissions(terminationLog, PosixFilePermissions.fromString("rw-rw-rw-"));

        int exit = run(Map.of(PodEnvironment.TERMINATION_LOG, "/dev/termination-log",
                "JDK_JAVA_OPTIONS", "-XshowSettings:properties"), List.of(
                new ContainerSpec.Mount("/tmp", tmp.toString(), false),
                new ContainerSpec.Mount("/dev/termination-log", terminationLog.toString(), false)));

        assertThat(exit).as("exit code; log:\n%s", log()).isZero();
        assertThat(database.strings("SELECT title FROM analytics.film_dim ORDER BY title"))
                .containsExactlyInAnyOrderElementsOf(TITLES);
        assertThat(Files.readString(terminationLog)).contains("\"result\":\"SUCCEEDED\"");
        assertThat(log()).as("the image's locale").contains("sun.jnu.encoding = UTF-8", "file.encoding = UTF-8");
        Path perfData = tmp.resolve("hsperfdata_nonroot");
        assertThat(perfData).as("the JVM's own folder in /tmp, named after its user").isDirectory();
        assertThat(Files.getAttribute(perfData, "unix:uid")).isEqualTo(65532);
    }

    @Test
    void nothingOutsideTmpCanBeWritten() throws Exception {
        int exit = run(Map.of(PodEnvironment.TERMINATION_LOG, "/app/summary.json"),
                List.of(new ContainerSpec.Mount("/tmp", emptyDir("tmp").toString(), false)));

        assertThat(exit).as("exit code; log:\n%s", log()).isZero();
        assertThat(log()).contains("could not write the termination message to /app/summary.json", "Read-only file system");
    }

    private int run(Map<String, String> podEnv, List<ContainerSpec.Mount> mounts) {
        ImageArchive image = ImageArchive.read(SharedCluster.imageTar("etl-runner"));
        List<String> env = new ArrayList<>(image.env());
        env.add(PodEnvironment.PIPELINE + "=" + DemoPipelines.filmDim("film-dim").tieBreaker("id").batchSize(2).runRequest("r-1").yaml());
        for (String secret : List.of("source-db", "target-db")) {
            env.add(PodEnvironment.secretVariable(secret, "jdbcUrl") + "=" + database.jdbcUrl());
            env.add(PodEnvironment.secretVariable(secret, "username") + "=" + database.username());
            env.add(PodEnvironment.secretVariable(secret, "password") + "=" + (database.password() == null ? "" : database.password()));
        }
        env.add(Allowlist.POSTGRES_TABLES_ENV + "=" + DemoData.TARGET_TABLE);
        env.add("JAVA_TOOL_OPTIONS=" + PodEnvironment.RUNNER_JAVA_OPTIONS);
        podEnv.forEach((name, value) -> env.add(name + "=" + value));
        List<String> args = new ArrayList<>(image.entrypoint());
        args.addAll(List.of("run", "--run-id", "image-test"));
        int[] user = image.uidAndGid();
        container = runc.start("runner-" + pod.getFileName(), image, new ContainerSpec(args, env, image.workingDir(),
                user[0], user[1], List.of(), true, true, Set.of(), 512L << 20, "runner", mounts), pod.resolve("runner.log"));
        await().atMost(Duration.ofMinutes(3)).until(() -> !container.alive());
        return container.exitCode();
    }

    private Path emptyDir(String name) throws Exception {
        Path dir = Files.createDirectories(pod.resolve(name));
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxrwxrwx"));
        return dir;
    }

    private String log() throws Exception {
        return Files.exists(pod.resolve("runner.log")) ? Files.readString(pod.resolve("runner.log")) : "";
    }
}
