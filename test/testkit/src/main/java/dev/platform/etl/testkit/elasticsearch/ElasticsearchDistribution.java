package dev.platform.etl.testkit.elasticsearch;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Enumeration;
import org.apache.commons.compress.archivers.zip.ZipArchiveEntry;
import org.apache.commons.compress.archivers.zip.ZipFile;

/**
 * The Elasticsearch distribution that Maven Central publishes
 * ({@code org.elasticsearch.distribution.integ-test-zip:elasticsearch:VERSION:zip}, which runs on
 * JDK 17), unpacked once per machine into a folder every user may read and execute.
 */
final class ElasticsearchDistribution {
    static final String VERSION = "8.19.0";
    static final String ZIP_PROPERTY = "etl.elasticsearch.zip";

    private ElasticsearchDistribution() {
    }

    /** The unpacked home, containing bin/elasticsearch. */
    static Path unpack() throws IOException {
        Path target = Path.of(System.getProperty("java.io.tmpdir"), "etl-elasticsearch-" + VERSION);
        Path home = target.resolve("elasticsearch-" + VERSION);
        if (Files.isExecutable(home.resolve("bin/elasticsearch"))) {
            return home;
        }
        Path zip = zip();
        Path staging = Files.createTempDirectory(target.getParent(), target.getFileName() + ".unpacking");
        try (ZipFile archive = ZipFile.builder().setPath(zip).get()) {
            Enumeration<ZipArchiveEntry> entries = archive.getEntries();
            while (entries.hasMoreElements()) {
                extract(archive, entries.nextElement(), staging);
            }
        }
        Files.setPosixFilePermissions(staging, PosixFilePermissions.fromString("rwxr-xr-x"));
        try {
            Files.move(staging, target, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException raceLost) {
            if (!Files.isExecutable(home.resolve("bin/elasticsearch"))) {
                throw raceLost;
            }
        }
        return home;
    }

    private static Path zip() throws IOException {
        String configured = System.getProperty(ZIP_PROPERTY);
        Path zip = configured != null ? Path.of(configured) : Path.of(System.getProperty("user.home"), ".m2", "repository",
                "org", "elasticsearch", "distribution", "integ-test-zip", "elasticsearch", VERSION, "elasticsearch-" + VERSION + ".zip");
        if (!Files.isRegularFile(zip)) {
            throw new IOException("Elasticsearch distribution not found at " + zip + ": build with Maven (the testkit depends on "
                    + "org.elasticsearch.distribution.integ-test-zip:elasticsearch:" + VERSION + ":zip) or set -D" + ZIP_PROPERTY);
        }
        return zip;
    }

    private static void extract(ZipFile archive, ZipArchiveEntry entry, Path root) throws IOException {
        Path path = root.resolve(entry.getName()).normalize();
        if (!path.startsWith(root)) {
            throw new IOException("archive entry outside its folder: " + entry.getName());
        }
        if (entry.isDirectory()) {
            Files.createDirectories(path);
            return;
        }
        Files.createDirectories(path.getParent());
        try (InputStream in = archive.getInputStream(entry)) {
            Files.copy(in, path, StandardCopyOption.REPLACE_EXISTING);
        }
        boolean executable = (entry.getUnixMode() & 0100) != 0;
        Files.setPosixFilePermissions(path, PosixFilePermissions.fromString(executable ? "rwxr-xr-x" : "rw-r--r--"));
    }
}
