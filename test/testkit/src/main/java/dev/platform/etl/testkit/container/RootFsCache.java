package dev.platform.etl.testkit.container;

import dev.platform.etl.testkit.process.Processes;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * Images unpacked once, into a folder named by their id: the lower, read-only layer of every
 * container of that image. Containers never write here (each gets an overlay of its own).
 */
public final class RootFsCache {
    private final Path directory;

    public RootFsCache(Path directory) {
        this.directory = directory;
        try {
            Files.createDirectories(directory);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The image's unpacked files, unpacked now if they are not yet. */
    public synchronized Path rootFs(ImageArchive image) {
        Path rootFs = directory.resolve(image.hex());
        if (Files.isDirectory(rootFs)) {
            return rootFs;
        }
        // a folder of this JVM's own: another JVM may be unpacking the same image; the first to finish wins
        Path partial = directory.resolve(image.hex() + ".partial-" + ProcessHandle.current().pid());
        try {
            delete(partial);
            Path blobs = Files.createDirectories(partial.resolve("blobs"));
            Path files = Files.createDirectories(partial.resolve("rootfs"));
            Processes.run(List.of("tar", "-xf", image.tar().toString(), "-C", blobs.toString()));
            for (String layer : image.layers()) {
                // as root, tar keeps the layer's numeric owners and modes (home of uid 65532, /tmp 1777)
                Processes.run(List.of("tar", "-xzf", blobs.resolve(layer).toString(), "-C", files.toString(),
                        "--numeric-owner", "--same-owner", "--same-permissions"));
            }
            try {
                Files.move(files, rootFs, StandardCopyOption.ATOMIC_MOVE);
            } catch (FileAlreadyExistsException | DirectoryNotEmptyException e) {
                // unpacked by another JVM meanwhile: the same files
            }
            delete(partial);
            return rootFs;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot unpack " + image.tar(), e);
        }
    }

    static void delete(Path path) throws IOException {
        if (!Files.exists(path)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(path)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
