package dev.platform.etl.testkit.kube;

import dev.platform.etl.testkit.container.Runc;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * What plays each image a pod names (by the image's name: the part after the last '/', without
 * tag): its tar in {@code tarFolder} (as {@code make images} writes them, {@code <name>-<arch>.tar}),
 * run under runc, or where runc is missing, its jar.
 */
public record PodImages(Map<String, Path> jars, Path tarFolder, Runc runc) {
    private static final String ARCHITECTURE = System.getProperty("os.arch").equals("aarch64") ? "arm64" : "amd64";

    public PodImages {
        jars = Map.copyOf(jars);
    }

    public static PodImages jarsOnly(Map<String, Path> jars) {
        return new PodImages(jars, null, null);
    }

    /** The tar of the image named {@code imageName} for this machine's architecture, e.g. {@code etl-runner-amd64.tar}. */
    public static Path tar(Path folder, String imageName) {
        return folder.resolve(imageName + "-" + ARCHITECTURE + ".tar");
    }

    /** The image's tar, when it is built and runc can run it; else null. */
    Path tar(String imageName) {
        Path tar = runc == null ? null : tar(tarFolder, imageName);
        return tar != null && Files.isRegularFile(tar) ? tar : null;
    }

    /** How pods run, for the test log. */
    public String describe() {
        return runc == null ? "pods run as local JVMs of the jars " + jars.values()
                : "pods run as containers under runc, from the images in " + tarFolder;
    }
}
