package dev.platform.etl.testkit.kube;

import dev.platform.etl.testkit.container.Runc;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * What plays each image a pod names (by the image's name: the part after the last '/', without
 * tag): its tar from {@code make images}, run under runc, or where runc is missing, its jar.
 */
public record PodImages(Map<String, Path> jars, Map<String, Path> tars, Runc runc) {
    public PodImages {
        jars = Map.copyOf(jars);
        tars = Map.copyOf(tars);
    }

    public static PodImages jarsOnly(Map<String, Path> jars) {
        return new PodImages(jars, Map.of(), null);
    }

    /** The image's tar, when it is built and runc can run it; else null. */
    Path tar(String imageName) {
        Path tar = runc == null ? null : tars.get(imageName);
        return tar != null && Files.isRegularFile(tar) ? tar : null;
    }

    /** How pods run, for the test log. */
    public String describe() {
        return runc == null ? "pods run as local JVMs of the jars " + jars.values()
                : "pods run as containers under runc, from the images " + tars.values();
    }
}
