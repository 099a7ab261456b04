package dev.platform.etl.testkit.kube;

import dev.platform.etl.testkit.container.ContainerProcess;
import dev.platform.etl.testkit.process.Ports;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.EnvVarSource;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.authentication.TokenRequest;
import io.fabric8.kubernetes.api.model.authentication.TokenRequestBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Starts a pod's container: under runc from the image's tar ({@link RuncPods}) where {@link PodImages}
 * has one, else as a local JVM: the image names one of the project's jars, the container's args
 * follow, and the environment is the pod's, resolved as the kubelet resolves it.
 *
 * <p>The test-bed mappings, all here: each container port gets a free host port (pods share the
 * host's network), and an env value that names the port number is given the host port instead; a
 * ServiceAccount token mount becomes a folder with a real token from the TokenRequest API. For a
 * JVM, an env value that names the termination message path is given a file of the pod's folder,
 * the fabric8 client in the pod is pointed at the token's folder, and the memory limit becomes the
 * JVM's idea of the machine's memory, as a container's cgroup limit would.
 */
final class ContainerLauncher {
    static final String SERVICE_ACCOUNT_MOUNT = "/var/run/secrets/kubernetes.io/serviceaccount";
    private static final Pattern VARIABLE_REFERENCE = Pattern.compile("\\$\\(([A-Za-z_][A-Za-z0-9_.-]*)\\)");

    /** Thrown when the pod's env cannot be resolved yet: CreateContainerConfigError. */
    static final class ConfigException extends RuntimeException {
        ConfigException(String message) {
            super(message);
        }
    }

    private final KubernetesClient client;
    private final LocalControlPlane plane;
    private final PodImages images;
    private final RuncPods containers;
    private final Path podsDirectory;

    ContainerLauncher(KubernetesClient client, LocalControlPlane plane, PodImages images, Path podsDirectory) {
        this.client = client;
        this.plane = plane;
        this.images = images;
        this.containers = images.runc() == null ? null : new RuncPods(this, client, images.runc());
        this.podsDirectory = podsDirectory;
    }

    /** The pod's folder and ports, before its process starts. */
    PodProcess prepare(Pod pod) {
        Container container = pod.getSpec().getContainers().get(0);
        Map<Integer, Integer> hostPorts = new LinkedHashMap<>();
        for (ContainerPort port : container.getPorts() == null ? List.<ContainerPort>of() : container.getPorts()) {
            hostPorts.put(port.getContainerPort(), Ports.free());
        }
        Path directory = podsDirectory.resolve(pod.getMetadata().getNamespace() + "_" + pod.getMetadata().getName() + "_" + pod.getMetadata().getUid());
        try {
            Files.createDirectories(directory);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new PodProcess(pod.getMetadata().getUid(), pod.getMetadata().getNamespace(), pod.getMetadata().getName(),
                container.getName(), container.getImage(), directory, hostPorts);
    }

    /** Starts (or restarts) the container: under runc where the image's tar and runc are at hand, else as a JVM of its jar. */
    void start(Pod pod, PodProcess run) {
        Container container = pod.getSpec().getContainers().get(0);
        try {
            Files.deleteIfExists(run.terminationLog());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Path tar = images.tar(imageName(container.getImage()));
        run.process = tar == null ? startJvm(pod, container, run) : containers.start(pod, container, run, tar);
    }

    private ContainerProcess startJvm(Pod pod, Container container, PodProcess run) {
        Path jar = jarFor(container.getImage());
        Map<String, String> env = jvmEnvironment(pod, container, run);
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        memoryLimit(container).ifPresent(bytes -> command.add("-XX:MaxRAM=" + bytes));
        command.add("-jar");
        command.add(jar.toString());
        if (container.getArgs() != null) {
            container.getArgs().forEach(arg -> command.add(expand(arg, env)));
        }
        ProcessBuilder builder = new ProcessBuilder(command).directory(run.directory.toFile())
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(run.log().toFile()));
        builder.environment().clear();
        builder.environment().putAll(env);
        try {
            return new JvmProcess(builder.start());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + run.namespace + "/" + run.name, e);
        }
    }

    /** An image's name: the part after the last '/', without tag or digest. */
    static String imageName(String image) {
        String name = image.substring(image.lastIndexOf('/') + 1);
        name = name.contains("@") ? name.substring(0, name.indexOf('@')) : name;
        return name.contains(":") ? name.substring(0, name.indexOf(':')) : name;
    }

    /** Whether this node can run the image: its tar (under runc) or its jar is at hand. */
    boolean hasImage(String image) {
        Path jar = images.jars().get(imageName(image));
        return images.tar(imageName(image)) != null || (jar != null && Files.isRegularFile(jar));
    }

    private Path jarFor(String image) {
        Path jar = images.jars().get(imageName(image));
        if (jar == null || !Files.isRegularFile(jar)) {
            throw new ConfigException("no jar for image " + image + " (known: " + images.jars() + "); build it with ./mvnw package");
        }
        return jar;
    }

    private Map<String, String> jvmEnvironment(Pod pod, Container container, PodProcess run) {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("PATH", System.getenv().getOrDefault("PATH", "/usr/bin:/bin"));
        env.put("HOME", run.directory.toString());
        clusterEnvironment(pod, env);
        serviceAccountToken(pod, container, run).ifPresent(folder -> {
            env.put("KUBERNETES_AUTH_SERVICEACCOUNT_TOKEN", folder.resolve("token").toString());
            env.put("KUBERNETES_CERTS_CA_FILE", folder.resolve("ca.crt").toString());
            env.put("KUBERNETES_NAMESPACE", pod.getMetadata().getNamespace());
        });
        containerEnvironment(pod, container, run, env, run.terminationLog().toString());
        return env;
    }

    /** What every pod's container finds in its environment: its host name, and the API server's address. */
    void clusterEnvironment(Pod pod, Map<String, String> env) {
        env.put("HOSTNAME", pod.getMetadata().getName());
        env.put("KUBERNETES_SERVICE_HOST", "127.0.0.1");
        env.put("KUBERNETES_SERVICE_PORT", Integer.toString(plane.port()));
        // a container has no kubeconfig of the developer's
        env.put("KUBERNETES_AUTH_TRYKUBECONFIG", "false");
    }

    /**
     * The container's own env, resolved as the kubelet resolves it, into {@code env}. A value that
     * names a container port is given its host port; one that names the termination message path
     * is given {@code terminationPath}.
     */
    void containerEnvironment(Pod pod, Container container, PodProcess run, Map<String, String> env, String terminationPath) {
        String declaredPath = terminationMessagePath(container);
        for (EnvVar variable : container.getEnv() == null ? List.<EnvVar>of() : container.getEnv()) {
            String value = variable.getValueFrom() == null ? expand(variable.getValue() == null ? "" : variable.getValue(), env)
                    : resolve(pod, run, variable.getName(), variable.getValueFrom());
            if (value == null) {
                continue;
            }
            if (value.equals(declaredPath)) {
                value = terminationPath;
            }
            for (Map.Entry<Integer, Integer> port : run.hostPorts.entrySet()) {
                if (value.equals(Integer.toString(port.getKey()))) {
                    value = Integer.toString(port.getValue());
                }
            }
            env.put(variable.getName(), value);
        }
    }

    static String terminationMessagePath(Container container) {
        return container.getTerminationMessagePath() == null ? "/dev/termination-log" : container.getTerminationMessagePath();
    }

    private String resolve(Pod pod, PodProcess run, String variable, EnvVarSource source) {
        String namespace = pod.getMetadata().getNamespace();
        if (source.getSecretKeyRef() != null) {
            var ref = source.getSecretKeyRef();
            Secret secret = client.secrets().inNamespace(namespace).withName(ref.getName()).get();
            String value = secret == null ? null : decoded(secret.getData(), ref.getKey());
            if (value == null && secret != null && secret.getStringData() != null) {
                value = secret.getStringData().get(ref.getKey());
            }
            return required(value, Boolean.TRUE.equals(ref.getOptional()), variable, "secret " + ref.getName() + " key " + ref.getKey());
        }
        if (source.getConfigMapKeyRef() != null) {
            var ref = source.getConfigMapKeyRef();
            ConfigMap map = client.configMaps().inNamespace(namespace).withName(ref.getName()).get();
            String value = map == null || map.getData() == null ? null : map.getData().get(ref.getKey());
            return required(value, Boolean.TRUE.equals(ref.getOptional()), variable, "configmap " + ref.getName() + " key " + ref.getKey());
        }
        if (source.getFieldRef() != null) {
            return field(pod, run, source.getFieldRef().getFieldPath());
        }
        return null; // resourceFieldRef: not needed by the project's pods
    }

    private static String required(String value, boolean optional, String variable, String what) {
        if (value == null && !optional) {
            throw new ConfigException("couldn't find " + what + " for env " + variable);
        }
        return value;
    }

    private static String decoded(Map<String, String> data, String key) {
        return data == null || !data.containsKey(key) ? null : new String(Base64.getDecoder().decode(data.get(key)), StandardCharsets.UTF_8);
    }

    private static String field(Pod pod, PodProcess run, String path) {
        Matcher map = Pattern.compile("metadata\\.(labels|annotations)\\['(.+)'\\]").matcher(path);
        if (map.matches()) {
            Map<String, String> values = map.group(1).equals("labels") ? pod.getMetadata().getLabels() : pod.getMetadata().getAnnotations();
            return values == null ? "" : values.getOrDefault(map.group(2), "");
        }
        return switch (path) {
            case "metadata.name" -> pod.getMetadata().getName();
            case "metadata.namespace" -> pod.getMetadata().getNamespace();
            case "metadata.uid" -> pod.getMetadata().getUid();
            case "spec.nodeName" -> pod.getSpec().getNodeName();
            case "spec.serviceAccountName" -> pod.getSpec().getServiceAccountName();
            case "status.podIP" -> run.ip;
            case "status.hostIP" -> PodNetwork.LOOPBACK;
            default -> throw new ConfigException("unsupported fieldRef " + path);
        };
    }

    /** A token for the pod's ServiceAccount, bound to the pod, in a folder of the pod's: where a projected token volume mounts it. */
    java.util.Optional<Path> serviceAccountToken(Pod pod, Container container, PodProcess run) {
        boolean mounted = container.getVolumeMounts() != null && container.getVolumeMounts().stream()
                .map(VolumeMount::getMountPath).anyMatch(SERVICE_ACCOUNT_MOUNT::equals);
        boolean projected = pod.getSpec().getVolumes() != null && pod.getSpec().getVolumes().stream()
                .map(Volume::getProjected).anyMatch(p -> p != null && p.getSources().stream().anyMatch(s -> s.getServiceAccountToken() != null));
        if (!mounted || !projected) {
            return java.util.Optional.empty();
        }
        String serviceAccount = pod.getSpec().getServiceAccountName() == null ? "default" : pod.getSpec().getServiceAccountName();
        TokenRequest request = new TokenRequestBuilder().withNewSpec().withExpirationSeconds(3607L)
                .withNewBoundObjectRef().withApiVersion("v1").withKind("Pod")
                    .withName(pod.getMetadata().getName()).withUid(pod.getMetadata().getUid()).endBoundObjectRef()
                .endSpec().build();
        String token = client.serviceAccounts().inNamespace(pod.getMetadata().getNamespace()).withName(serviceAccount)
                .tokenRequest(request).getStatus().getToken();
        Path folder = run.directory.resolve("serviceaccount");
        try {
            Files.createDirectories(folder);
            Files.writeString(folder.resolve("token"), token);
            Files.writeString(folder.resolve("namespace"), pod.getMetadata().getNamespace());
            Files.copy(plane.caFile(), folder.resolve("ca.crt"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return java.util.Optional.of(folder);
    }

    static java.util.Optional<Long> memoryLimit(Container container) {
        if (container.getResources() == null || container.getResources().getLimits() == null) {
            return java.util.Optional.empty();
        }
        Quantity memory = container.getResources().getLimits().get("memory");
        return memory == null ? java.util.Optional.empty() : java.util.Optional.of(Quantity.getAmountInBytes(memory).longValue());
    }

    /** {@code $(VAR)} references to variables defined before, as Kubernetes expands them. */
    static String expand(String value, Map<String, String> env) {
        Matcher matcher = VARIABLE_REFERENCE.matcher(value);
        StringBuilder out = new StringBuilder();
        while (matcher.find()) {
            String replacement = env.getOrDefault(matcher.group(1), matcher.group());
            matcher.appendReplacement(out, Matcher.quoteReplacement(replacement));
        }
        matcher.appendTail(out);
        return out.toString();
    }
}
