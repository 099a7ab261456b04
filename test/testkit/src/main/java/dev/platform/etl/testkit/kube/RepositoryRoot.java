package dev.platform.etl.testkit.kube;

import java.nio.file.Files;
import java.nio.file.Path;

/** The checkout's top folder, found from the working directory (a module's folder under Maven). */
public final class RepositoryRoot {
    private RepositoryRoot() {
    }

    public static Path find() {
        Path here = Path.of("").toAbsolutePath();
        for (Path dir = here; dir != null; dir = dir.getParent()) {
            if (Files.isRegularFile(dir.resolve(ControlPlaneBinaries.BUILD_SCRIPT)) && Files.isRegularFile(dir.resolve("pom.xml"))) {
                return dir;
            }
        }
        throw new IllegalStateException("no checkout of this project above " + here);
    }
}
