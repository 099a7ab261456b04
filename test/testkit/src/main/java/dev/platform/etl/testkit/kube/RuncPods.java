package dev.platform.etl.testkit.kube;

import dev.platform.etl.testkit.container.ContainerProcess;
import dev.platform.etl.testkit.container.ContainerSpec;
import dev.platform.etl.testkit.container.ImageArchive;
import dev.platform.etl.testkit.container.Runc;
import io.fabric8.kubernetes.api.model.Capabilities;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.KeyToPath;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodSecurityContext;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecurityContext;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

/**
 * The kubelet's part of running a pod's container from its image under runc: the process from the
 * command and args over the image's Entrypoint and Cmd, the user and groups from the security
 * context over the image's User (refusing root under {@code runAsNonRoot}, as the kubelet does),
 * the read-only root, privilege escalation and capabilities, the memory limit, and the volumes as
 * binds: emptyDir, Secret, ConfigMap, the projected ServiceAccount token, the termination-message
 * file, {@code /etc/hosts}, {@code /etc/hostname} and {@code /etc/resolv.conf}.
 */
final class RuncPods {
    private final ContainerLauncher launcher;
    private final KubernetesClient client;
    private final Runc runc;
    /** Each image's config, read once: reading it scans the whole tar. */
    private final Map<Path, ImageArchive> images = new ConcurrentHashMap<>();

    RuncPods(ContainerLauncher launcher, KubernetesClient client, Runc runc) {
        this.launcher = launcher;
        this.client = client;
        this.runc = runc;
    }

    ContainerProcess start(Pod pod, Container container, PodProcess run, Path tar) {
        ImageArchive image = images.computeIfAbsent(tar, ImageArchive::read);
        Map<String, String> env = new LinkedHashMap<>();
        for (String variable : image.env()) {
            env.put(variable.substring(0, variable.indexOf('=')), variable.substring(variable.indexOf('=') + 1));
        }
        launcher.clusterEnvironment(pod, env);
        String terminationPath = ContainerLauncher.terminationMessagePath(container);
        launcher.containerEnvironment(pod, container, run, env, terminationPath);
        PodSecurityContext podSecurity = Objects.requireNonNullElseGet(pod.getSpec().getSecurityContext(), PodSecurityContext::new);
        SecurityContext security = Objects.requireNonNullElseGet(container.getSecurityContext(), SecurityContext::new);
        int uid = first(security.getRunAsUser(), podSecurity.getRunAsUser(), image.uidAndGid()[0]);
        int gid = first(security.getRunAsGroup(), podSecurity.getRunAsGroup(), image.uidAndGid()[1]);
        if (uid == 0 && Boolean.TRUE.equals(first(security.getRunAsNonRoot(), podSecurity.getRunAsNonRoot()))) {
            throw new ContainerLauncher.ConfigException("container has runAsNonRoot and image will run as root (pod: \""
                    + run.name + "_" + run.namespace + "(" + run.uid + ")\", container: " + container.getName() + ")");
        }
        List<ContainerSpec.Mount> mounts = new ArrayList<>(volumes(pod, container, run));
        mounts.add(new ContainerSpec.Mount(terminationPath, writableByAll(run.terminationLog()).toString(), false));
        mounts.addAll(networkFiles(run));
        ContainerSpec spec = new ContainerSpec(args(container, image, env), env.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).toList(),
                container.getWorkingDir() == null ? image.workingDir() : container.getWorkingDir(), uid, gid, groups(podSecurity),
                Boolean.TRUE.equals(security.getReadOnlyRootFilesystem()), Boolean.FALSE.equals(security.getAllowPrivilegeEscalation()),
                capabilities(security.getCapabilities()), ContainerLauncher.memoryLimit(container).orElse(0L), run.name, mounts);
        return runc.start(run.uid + "-" + run.restarts, image, spec, run.log());
    }

    /** The container's command over the image's Entrypoint, its args over the image's Cmd, as Kubernetes combines them. */
    private static List<String> args(Container container, ImageArchive image, Map<String, String> env) {
        boolean command = container.getCommand() != null && !container.getCommand().isEmpty();
        List<String> args = new ArrayList<>(command ? container.getCommand() : image.entrypoint());
        if (container.getArgs() != null && !container.getArgs().isEmpty()) {
            args.addAll(container.getArgs());
        } else if (!command) {
            args.addAll(image.cmd());
        }
        return args.stream().map(arg -> ContainerLauncher.expand(arg, env)).toList();
    }

    private static List<Integer> groups(PodSecurityContext podSecurity) {
        List<Integer> groups = new ArrayList<>();
        if (podSecurity.getFsGroup() != null) {
            groups.add(podSecurity.getFsGroup().intValue());
        }
        if (podSecurity.getSupplementalGroups() != null) {
            podSecurity.getSupplementalGroups().forEach(group -> groups.add(group.intValue()));
        }
        return groups;
    }

    private static Set<String> capabilities(Capabilities capabilities) {
        Set<String> granted = new HashSet<>(ContainerSpec.DEFAULT_CAPABILITIES);
        if (capabilities == null) {
            return granted;
        }
        for (String drop : Objects.requireNonNullElse(capabilities.getDrop(), List.<String>of())) {
            if (drop.equalsIgnoreCase("ALL")) {
                granted.clear();
            } else {
                granted.remove(capability(drop));
            }
        }
        Objects.requireNonNullElse(capabilities.getAdd(), List.<String>of()).forEach(add -> granted.add(capability(add)));
        return granted;
    }

    private static String capability(String name) {
        String upper = name.toUpperCase(Locale.ROOT);
        return upper.startsWith("CAP_") ? upper : "CAP_" + upper;
    }

    private List<ContainerSpec.Mount> volumes(Pod pod, Container container, PodProcess run) {
        List<ContainerSpec.Mount> mounts = new ArrayList<>();
        for (VolumeMount mount : Objects.requireNonNullElse(container.getVolumeMounts(), List.<VolumeMount>of())) {
            Volume volume = Objects.requireNonNullElse(pod.getSpec().getVolumes(), List.<Volume>of()).stream()
                    .filter(v -> v.getName().equals(mount.getName())).findFirst()
                    .orElseThrow(() -> new ContainerLauncher.ConfigException("no volume " + mount.getName() + " for its mount"));
            Path folder = run.directory.resolve("volumes").resolve(volume.getName());
            boolean readOnly = Boolean.TRUE.equals(mount.getReadOnly());
            Path source;
            if (volume.getEmptyDir() != null) {
                source = emptyDir(folder);
            } else if (volume.getSecret() != null) {
                source = secretFiles(pod, volume, folder);
                readOnly = true;
            } else if (volume.getConfigMap() != null) {
                source = configMapFiles(pod, volume, folder);
                readOnly = true;
            } else if (volume.getProjected() != null && mount.getMountPath().equals(ContainerLauncher.SERVICE_ACCOUNT_MOUNT)) {
                source = launcher.serviceAccountToken(pod, container, run)
                        .orElseThrow(() -> new ContainerLauncher.ConfigException("no ServiceAccount token for " + mount.getName()));
                readOnly = true;
            } else {
                throw new ContainerLauncher.ConfigException("the test kubelet cannot mount volume " + volume.getName());
            }
            mounts.add(new ContainerSpec.Mount(mount.getMountPath(), source.toString(), readOnly));
        }
        return mounts;
    }

    private Path secretFiles(Pod pod, Volume volume, Path folder) {
        Secret secret = client.secrets().inNamespace(pod.getMetadata().getNamespace()).withName(volume.getSecret().getSecretName()).get();
        if (secret == null && !Boolean.TRUE.equals(volume.getSecret().getOptional())) {
            throw new ContainerLauncher.ConfigException("secret \"" + volume.getSecret().getSecretName() + "\" not found");
        }
        Map<String, byte[]> data = new LinkedHashMap<>();
        if (secret != null && secret.getData() != null) {
            secret.getData().forEach((key, value) -> data.put(key, Base64.getDecoder().decode(value)));
        }
        return files(folder, data, volume.getSecret().getItems());
    }

    private Path configMapFiles(Pod pod, Volume volume, Path folder) {
        ConfigMap map = client.configMaps().inNamespace(pod.getMetadata().getNamespace()).withName(volume.getConfigMap().getName()).get();
        if (map == null && !Boolean.TRUE.equals(volume.getConfigMap().getOptional())) {
            throw new ContainerLauncher.ConfigException("configmap \"" + volume.getConfigMap().getName() + "\" not found");
        }
        Map<String, byte[]> data = new LinkedHashMap<>();
        if (map != null && map.getData() != null) {
            map.getData().forEach((key, value) -> data.put(key, value.getBytes(StandardCharsets.UTF_8)));
        }
        return files(folder, data, volume.getConfigMap().getItems());
    }

    /** One file a key (or a key the items name, at their paths), readable by the container's user. */
    private static Path files(Path folder, Map<String, byte[]> data, List<KeyToPath> items) {
        try {
            Files.createDirectories(folder);
            Map<String, String> paths = new LinkedHashMap<>();
            if (items == null || items.isEmpty()) {
                data.keySet().forEach(key -> paths.put(key, key));
            } else {
                items.forEach(item -> paths.put(item.getKey(), item.getPath()));
            }
            for (Map.Entry<String, String> path : paths.entrySet()) {
                Path file = folder.resolve(path.getValue());
                Files.createDirectories(file.getParent());
                Files.write(file, data.getOrDefault(path.getKey(), new byte[0]));
                Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
            }
            return folder;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The files the kubelet gives every container for names: the pod's host name, and the host's resolver. */
    private static List<ContainerSpec.Mount> networkFiles(PodProcess run) {
        try {
            Path etc = Files.createDirectories(run.directory.resolve("etc"));
            Files.writeString(etc.resolve("hosts"), "127.0.0.1\tlocalhost\n::1\tlocalhost ip6-localhost ip6-loopback\n127.0.0.1\t" + run.name + "\n");
            Files.writeString(etc.resolve("hostname"), run.name + "\n");
            Path resolv = Path.of("/etc/resolv.conf");
            Files.writeString(etc.resolve("resolv.conf"), Files.isReadable(resolv) ? Files.readString(resolv) : "");
            return Stream.of("hosts", "hostname", "resolv.conf")
                    .map(name -> new ContainerSpec.Mount("/etc/" + name, etc.resolve(name).toString(), true)).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Path writableByAll(Path file) {
        try {
            if (!Files.exists(file)) {
                Files.createFile(file);
            }
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-rw-rw-"));
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** As the kubelet makes it: any container user may write it. */
    private static Path emptyDir(Path folder) {
        try {
            Files.createDirectories(folder);
            Files.setPosixFilePermissions(folder, PosixFilePermissions.fromString("rwxrwxrwx"));
            return folder;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static int first(Long container, Long pod, int image) {
        return container != null ? container.intValue() : pod != null ? pod.intValue() : image;
    }

    private static Boolean first(Boolean container, Boolean pod) {
        return container != null ? container : pod;
    }
}
