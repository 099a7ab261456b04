package dev.platform.etl.baseimage.debian;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** A program this build runs (apt-get, dpkg-deb): its output, or an error that quotes its stderr. */
final class Command {
  private final Path directory;
  private final List<String> argv;

  Command(Path directory, List<String> argv) {
    this.directory = directory;
    this.argv = List.copyOf(argv);
  }

  /** Runs it to the end and returns what it printed on stdout. */
  String output() throws IOException {
    return stream(in -> new String(in.readAllBytes(), StandardCharsets.UTF_8));
  }

  /** Hands its stdout to the reader, then checks that it succeeded. */
  <T> T stream(StreamReader<T> reader) throws IOException {
    Path stderr = Files.createTempFile("base-image-", ".stderr");
    try {
      Process process = start(stderr);
      T result;
      try (InputStream out = process.getInputStream()) {
        result = reader.read(out);
        out.transferTo(OutputStream.nullOutputStream());
      }
      awaitSuccess(process, stderr);
      return result;
    } finally {
      Files.deleteIfExists(stderr);
    }
  }

  interface StreamReader<T> {
    T read(InputStream in) throws IOException;
  }

  private Process start(Path stderr) throws IOException {
    try {
      return new ProcessBuilder(argv)
          .directory(directory.toFile())
          .redirectError(stderr.toFile())
          .start();
    } catch (IOException e) {
      throw new IOException(argv.get(0) + " could not be started (is it installed?): " + e.getMessage(), e);
    }
  }

  private void awaitSuccess(Process process, Path stderr) throws IOException {
    int code;
    try {
      code = process.waitFor();
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while waiting for " + argv.get(0), e);
    }
    if (code != 0) {
      String err = Files.readString(stderr).strip();
      throw new IOException(argv.get(0) + " failed with exit code " + code + (err.isEmpty() ? "" : ":\n" + err));
    }
  }
}
