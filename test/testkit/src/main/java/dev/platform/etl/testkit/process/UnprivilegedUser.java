package dev.platform.etl.testkit.process;

import com.sun.security.auth.module.UnixSystem;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * PostgreSQL and Elasticsearch refuse to run as root. When this JVM is root (CI, containers), the
 * servers are started as an unprivileged system user, created on first use.
 */
public final class UnprivilegedUser {
    public static final String NAME = "etl-test";

    private UnprivilegedUser() {
    }

    public static boolean needed() {
        return new UnixSystem().getUid() == 0;
    }

    /** The command, run as {@value #NAME} when this JVM is root. */
    public static List<String> wrap(List<String> command) {
        if (!needed()) {
            return command;
        }
        ensureExists();
        List<String> wrapped = new ArrayList<>(List.of("runuser", "-u", NAME, "--"));
        wrapped.addAll(command);
        return wrapped;
    }

    /** Gives a directory the servers write to to the unprivileged user. */
    public static void own(Path directory) {
        if (needed()) {
            ensureExists();
            Processes.run(List.of("chown", "-R", NAME + ":" + NAME, directory.toString()));
        }
    }

    private static synchronized void ensureExists() {
        if (Processes.exitCode(List.of("id", "-u", NAME)) != 0) {
            Processes.run(List.of("useradd", "--system", "--user-group", "--no-create-home",
                    "--shell", "/usr/sbin/nologin", NAME));
        }
    }
}
