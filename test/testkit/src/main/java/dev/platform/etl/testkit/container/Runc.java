package dev.platform.etl.testkit.container;

import dev.platform.etl.testkit.process.Processes;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Containers under runc, as a kubelet's runtime runs them: each in a bundle of its own whose root is
 * an overlay on the image's cached files, so that whatever a container writes, or runc creates for
 * its mount points, stays in its bundle.
 */
public final class Runc {
    private static final Pattern OPEN_FILES = Pattern.compile("Max open files\\s+\\d+\\s+(\\d+)");
    private final Path state;
    private final Path bundles;
    private final RootFsCache images;

    /** {@code directory} holds runc's state and the bundles; {@code images} the unpacked images, kept between runs. */
    public Runc(Path directory, RootFsCache images) {
        this.state = directory.resolve("runc");
        this.bundles = directory.resolve("bundles");
        this.images = images;
        try {
            Files.createDirectories(state);
            Files.createDirectories(bundles);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The runtime of this JVM, in {@code base/<pid>}: the containers and bundles that JVMs which
     * ended without cleaning up (killed, say) left in their folders are removed first.
     */
    public static Runc forThisProcess(Path base, RootFsCache images) {
        try (Stream<Path> others = Files.exists(base) ? Files.list(base) : Stream.empty()) {
            for (Path other : others.toList()) {
                boolean ended = ProcessHandle.of(Long.parseLong(other.getFileName().toString())).map(p -> !p.isAlive()).orElse(true);
                if (ended) {
                    new Runc(other, images).removeLeftovers();
                    RootFsCache.delete(other);
                }
            }
        } catch (IOException | NumberFormatException e) {
            throw new IllegalStateException("cannot clean the runtimes under " + base + ": " + e.getMessage(), e);
        }
        return new Runc(base.resolve(Long.toString(ProcessHandle.current().pid())), images);
    }

    /** Whether containers can run here: runc is installed, and this process is root (overlay mounts need it). */
    public static boolean usable() {
        if (!"root".equals(System.getProperty("user.name"))) {
            return false;
        }
        try {
            return Processes.execute(List.of("runc", "--version")).exitCode() == 0;
        } catch (IllegalStateException notInstalled) {
            return false;
        }
    }

    /** Deletes the containers and bundles a kubelet before this one left (it was killed, say). */
    public void removeLeftovers() {
        for (String id : Processes.run(List.of("runc", "--root", state.toString(), "list", "-q")).lines().toList()) {
            Processes.execute(List.of("runc", "--root", state.toString(), "delete", "--force", id));
        }
        try (Stream<Path> leftovers = Files.list(bundles)) {
            leftovers.forEach(Runc::removeBundle);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Starts the image's container; its stdout and stderr are appended to {@code log}. */
    public Container start(String id, ImageArchive image, ContainerSpec spec, Path log) {
        Path bundle = bundles.resolve(id);
        try {
            removeBundle(bundle);
            Path rootFs = Files.createDirectories(bundle.resolve("rootfs"));
            Processes.run(List.of("mount", "-t", "overlay", "overlay", "-o",
                    "lowerdir=" + images.rootFs(image) + ",upperdir=" + Files.createDirectories(bundle.resolve("upper"))
                            + ",workdir=" + Files.createDirectories(bundle.resolve("work")), rootFs.toString()));
            OciConfig.write(bundle, spec, openFilesLimit());
            Process process = new ProcessBuilder("runc", "--root", state.toString(), "run", "--bundle", bundle.toString(), id)
                    .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                    .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()))
                    .start();
            return new Container(this, id, bundle, process);
        } catch (IOException e) {
            removeBundle(bundle);
            throw new UncheckedIOException("cannot start container " + id, e);
        }
    }

    void signal(String id, String signal) {
        Processes.execute(List.of("runc", "--root", state.toString(), "kill", id, signal));
    }

    void remove(String id, Path bundle) {
        Processes.execute(List.of("runc", "--root", state.toString(), "delete", "--force", id));
        removeBundle(bundle);
    }

    private static void removeBundle(Path bundle) {
        try {
            Path rootFs = bundle.resolve("rootfs");
            if (Files.isDirectory(rootFs) && Processes.execute(List.of("mountpoint", "-q", rootFs.toString())).exitCode() == 0) {
                Processes.run(List.of("umount", rootFs.toString()));
            }
            RootFsCache.delete(bundle);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot remove " + bundle, e);
        }
    }

    /** A container may open as many files as this process may: runc refuses more. */
    private static long openFilesLimit() throws IOException {
        Matcher limit = OPEN_FILES.matcher(Files.readString(Path.of("/proc/self/limits")));
        return limit.find() ? Math.min(Long.parseLong(limit.group(1)), 1 << 20) : 1024;
    }
}
