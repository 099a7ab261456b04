package dev.platform.etl.baseimage;

import dev.platform.etl.baseimage.archive.DockerArchive;
import dev.platform.etl.baseimage.archive.ImageConfig;
import dev.platform.etl.baseimage.archive.Layer;
import dev.platform.etl.baseimage.debian.AptArchive;
import dev.platform.etl.baseimage.debian.Deb;
import dev.platform.etl.baseimage.rootfs.MaintainerWork;
import dev.platform.etl.baseimage.rootfs.Node;
import dev.platform.etl.baseimage.rootfs.RootFs;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** Builds the base image of the runner and the operator, one tar per architecture. */
@Command(name = "base-image", mixinStandardHelpOptions = true,
    description = "Assemble the base image from Debian packages into docker-archive tars, with no Docker.")
public final class BaseImageBuilder implements Callable<Integer> {
  @Option(names = "--definition", description = "the image definition (default: ${DEFAULT-VALUE})")
  Path definition = Path.of("base-image/image.yaml");

  @Option(names = "--architecture", split = ",", description = "Debian architectures (default: those of the definition)")
  List<String> architectures = List.of();

  @Option(names = "--cache", description = "apt's lists and the downloaded packages (default: ${DEFAULT-VALUE})")
  Path cache = Path.of(System.getProperty("user.home"), ".cache", "etl-operator", "debian");

  @Option(names = "--output", description = "where the tars are written (default: ${DEFAULT-VALUE})")
  Path output = Path.of("target/images");

  public static void main(String[] args) {
    System.exit(new CommandLine(new BaseImageBuilder()).execute(args));
  }

  @Override
  public Integer call() throws IOException {
    ImageDefinition image = ImageDefinition.read(definition);
    for (String architecture : architectures.isEmpty() ? image.architectures() : architectures) {
      Path tar = output.resolve("etl-base-" + architecture + ".tar");
      Path stamp = output.resolve("etl-base-" + architecture + ".inputs");
      List<Deb> debs = packages(image, architecture);
      String inputs = BuildInputs.describe(image, debs);
      if (Files.exists(tar) && Files.exists(stamp) && Files.readString(stamp).equals(inputs)) {
        System.out.println(tar + " is up to date");
        continue;
      }
      // the id beside the tar, as Jib writes the runner's and the operator's
      Files.writeString(output.resolve("etl-base-" + architecture + ".id"), build(image, architecture, debs, tar));
      Files.writeString(stamp, inputs);
      System.out.println(tar + " built");
    }
    return 0;
  }

  /** The definition's packages for one architecture, in their current versions. */
  public List<Deb> packages(ImageDefinition image, String architecture) throws IOException {
    return new AptArchive(cache.resolve(architecture), architecture, image.suites(), image.keyring())
        .fetch(image.packageNames());
  }

  /** Builds one architecture's base from its packages into {@code tar} and returns its image id. */
  public String build(ImageDefinition image, String architecture, List<Deb> debs, Path tar) throws IOException {
    RootFs rootFs = new RootFs();
    for (Deb deb : debs) {
      ImageDefinition.Package wanted = image.packageNamed(deb.name());
      rootFs.unpack(deb, path -> wanted.keeps(path) && !isDocumentation(path));
    }
    String javaHome = javaHome(rootFs);
    MaintainerWork.certificateBundle(rootFs);
    MaintainerWork.javaTrustStore(rootFs);
    MaintainerWork.javaLauncher(rootFs, javaHome);
    MaintainerWork.accounts(rootFs, image.user().name(), image.user().uid());
    MaintainerWork.packageDatabase(rootFs, debs);
    Layer layer = Layer.of(rootFs);
    ImageConfig config = ImageConfig.linux(architecture, container(image, javaHome, debs), layer,
        "Debian packages, unpacked: " + debs.stream().map(Deb::name).collect(Collectors.joining(" ")));
    return DockerArchive.write(tar, "etl-base:" + architecture, config, layer);
  }

  private static ImageConfig.Container container(ImageDefinition image, String javaHome, List<Deb> debs) {
    int uid = image.user().uid();
    TreeMap<String, String> labels = new TreeMap<>();
    labels.put("dev.platform.etl.base.packages",
        debs.stream().map(d -> d.name() + "=" + d.version()).collect(Collectors.joining(" ")));
    labels.put("dev.platform.etl.base.suites",
        image.suites().stream().map(s -> s.suite()).collect(Collectors.joining(" ")));
    return new ImageConfig.Container(uid + ":" + uid,
        List.of("PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin:/" + javaHome + "/bin",
            "JAVA_HOME=/" + javaHome,
            "LANG=C.UTF-8",
            "SSL_CERT_FILE=/etc/ssl/certs/ca-certificates.crt"),
        "/home/" + image.user().name(), labels);
  }

  /** The JRE's directory, {@code usr/lib/jvm/<name>}: the one whose {@code bin/java} is a file. */
  private static String javaHome(RootFs rootFs) {
    return rootFs.under("usr/lib/jvm").stream()
        .filter(n -> n.kind() == Node.Kind.FILE && n.path().matches("usr/lib/jvm/[^/]+/bin/java"))
        .map(n -> n.path().substring(0, n.path().length() - "/bin/java".length()))
        .findFirst()
        .orElseThrow(() -> new IllegalStateException("no JRE under /usr/lib/jvm: is a JRE package in the definition?"));
  }

  /** Documentation is left out, as in distroless images; each package's copyright stays. */
  static boolean isDocumentation(String path) {
    return (path.startsWith("usr/share/doc/") && !path.endsWith("/copyright"))
        || path.startsWith("usr/share/man/")
        || path.startsWith("usr/share/info/")
        || path.startsWith("usr/share/lintian/");
  }
}
