package dev.platform.etl.baseimage.debian;

import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Debian's archive for one architecture, seen through apt in a private directory: apt checks the
 * archive's signatures and picks each package's current version, and the machine's own apt state
 * is never read or changed. Downloaded packages stay in the directory, checked by their SHA-256.
 */
public final class AptArchive {
  private static final Pattern URI_LINE =
      Pattern.compile("^'(?<uri>[^']+)' (?<file>\\S+) (?<size>\\d+) SHA256:(?<sha256>[0-9a-f]{64})$");

  private final Path root;
  private final String architecture;

  public AptArchive(Path root, String architecture, List<AptSource> suites, Path keyring) throws IOException {
    this.root = root;
    this.architecture = architecture;
    Files.createDirectories(root.resolve("state/lists/partial"));
    Files.createDirectories(root.resolve("cache/archives/partial"));
    Files.createDirectories(root.resolve("etc/parts"));
    Files.createDirectories(debs());
    Files.writeString(root.resolve("etc/sources.list"), sourcesList(suites, keyring));
    if (!Files.exists(root.resolve("state/status"))) {
      Files.createFile(root.resolve("state/status"));
    }
  }

  /**
   * The packages' current versions: the lists refreshed, then each package downloaded unless an
   * identical file is already here. One build at a time uses the directory.
   */
  public List<Deb> fetch(List<String> names) throws IOException {
    try (FileChannel channel = FileChannel.open(root.resolve("lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        FileLock lock = channel.lock()) {
      update();
      return download(names);
    }
  }

  /** Refreshes the package lists; with no network, lists fetched before are used, with a warning. */
  private void update() throws IOException {
    try {
      apt(root, "update").output();
    } catch (IOException e) {
      if (!hasLists()) {
        throw e;
      }
      System.err.println("warning: the package lists of " + architecture
          + " could not be refreshed, the ones fetched before are used: " + e.getMessage());
    }
  }

  private List<Deb> download(List<String> names) throws IOException {
    List<String> printUris = new ArrayList<>(List.of("download", "--print-uris"));
    printUris.addAll(names);
    List<Deb> debs = new ArrayList<>();
    // asked from a directory without packages: apt leaves out the ones already in its working directory
    for (String line : apt(root, printUris.toArray(String[]::new)).output().lines().toList()) {
      Matcher uri = URI_LINE.matcher(line.strip());
      if (!uri.matches()) {
        throw new IOException("apt-get download --print-uris printed an unexpected line: " + line);
      }
      Path file = debs().resolve(uri.group("file"));
      if (!Files.exists(file) || !sha256(file).equals(uri.group("sha256"))) {
        Files.deleteIfExists(file);
        apt(debs(), "download", packageOf(uri.group("file"))).output();
      }
      if (!sha256(file).equals(uri.group("sha256"))) {
        throw new IOException(file.getFileName() + " does not have the SHA-256 the archive lists");
      }
      debs.add(Deb.of(file, uri.group("sha256")));
    }
    if (debs.size() != names.size()) {
      throw new IOException("apt found " + debs.size() + " of the " + names.size()
          + " packages " + names + " for " + architecture);
    }
    return debs;
  }

  private Command apt(Path directory, String... arguments) {
    List<String> argv = new ArrayList<>(List.of("apt-get", "-q"));
    for (String option : options()) {
      argv.add("-o");
      argv.add(option);
    }
    argv.addAll(List.of(arguments));
    return new Command(directory, argv);
  }

  private List<String> options() {
    return List.of(
        "Dir::Etc::SourceList=" + root.resolve("etc/sources.list"),
        "Dir::Etc::SourceParts=" + root.resolve("etc/parts"),
        "Dir::Etc::Preferences=" + root.resolve("etc/preferences"),
        "Dir::Etc::PreferencesParts=" + root.resolve("etc/parts"),
        "Dir::State=" + root.resolve("state"),
        "Dir::State::status=" + root.resolve("state/status"),
        "Dir::Cache=" + root.resolve("cache"),
        "APT::Architecture=" + architecture,
        "APT::Architectures=" + architecture,
        "Debug::NoLocking=1",
        // apt would hand downloads to its _apt user, who cannot write into this directory
        "APT::Sandbox::User=" + System.getProperty("user.name"));
  }

  private static String sourcesList(List<AptSource> suites, Path keyring) {
    StringBuilder list = new StringBuilder();
    for (AptSource suite : suites) {
      list.append("deb [signed-by=").append(keyring).append("] ")
          .append(suite.uri()).append(' ').append(suite.suite()).append(" main\n");
    }
    return list.toString();
  }

  private boolean hasLists() throws IOException {
    try (var files = Files.list(root.resolve("state/lists"))) {
      return files.anyMatch(f -> f.getFileName().toString().contains("Packages"));
    }
  }

  private Path debs() {
    return root.resolve("debs");
  }

  /** A package file's name is NAME_VERSION_ARCH.deb. */
  private static String packageOf(String fileName) {
    return fileName.substring(0, fileName.indexOf('_'));
  }

  static String sha256(Path file) throws IOException {
    try (InputStream in = Files.newInputStream(file)) {
      MessageDigest digest = MessageDigest.getInstance("SHA-256");
      byte[] buffer = new byte[1 << 16];
      for (int n; (n = in.read(buffer)) > 0; ) {
        digest.update(buffer, 0, n);
      }
      return HexFormat.of().formatHex(digest.digest());
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
