package dev.platform.etl.operator.support;

import dev.platform.etl.api.pod.PodEnvironment;
import dev.platform.etl.operator.job.Labels;
import dev.platform.etl.operator.job.RunnerJobFactory;
import dev.platform.etl.runner.cli.EtlRunner;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretKeySelector;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Plays the kubelet and the Job controller for the operator's Jobs on the mock server: runs the
 * runner as a child JVM with exactly the pod template's arguments and environment (Secrets
 * resolved from the mock), writes pod and Job status back, sends SIGTERM when a Job is suspended,
 * starts a new pod attempt within backoffLimit when one dies, and fails the Job on exit codes 1
 * and 2 as the pod failure policy says.
 */
public final class JobExecutor implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(JobExecutor.class);
    private static final Set<Integer> FAIL_JOB_EXIT_CODES = Set.of(1, 2);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final KubernetesClient client;
    private final Path directory;
    private final Map<String, Execution> executions = new ConcurrentHashMap<>();
    private final ScheduledExecutorService loop = Executors.newSingleThreadScheduledExecutor(r -> new Thread(r, "job-executor"));

    /** One Job as the executor follows it. */
    private static final class Execution {
        Job job;
        int attempts;
        int failures;
        Process process;
        String pod;
        Path terminationLog;
        boolean stopping;
        boolean finished;
    }

    public JobExecutor(KubernetesClient client, Path directory) {
        this.client = client;
        this.directory = directory;
        loop.scheduleWithFixedDelay(this::tick, 0, 100, TimeUnit.MILLISECONDS);
    }

    /** Kills the Job's running pod with SIGKILL, as a node failure would, and waits for its process to end. */
    public void killPod(String jobName) throws InterruptedException {
        Execution execution = executions.values().stream().filter(e -> e.job.getMetadata().getName().equals(jobName))
                .findFirst().orElseThrow();
        Process process = execution.process;
        if (process != null) {
            process.destroyForcibly().waitFor();
        }
    }

    /** How many pods the Job has had. */
    public int attempts(String jobName) {
        return executions.values().stream().filter(e -> e.job.getMetadata().getName().equals(jobName))
                .mapToInt(e -> e.attempts).findFirst().orElse(0);
    }

    private synchronized void tick() {
        try {
            for (Job job : client.batch().v1().jobs().inAnyNamespace().withLabel(Labels.MANAGED_BY, Labels.OPERATOR).list().getItems()) {
                Execution execution = executions.computeIfAbsent(job.getMetadata().getUid(), uid -> new Execution());
                execution.job = job;
                if (!execution.finished) {
                    step(execution);
                }
            }
        } catch (Exception e) {
            LOG.warn("job executor tick failed", e);
        }
    }

    private void step(Execution execution) throws IOException {
        boolean suspended = Boolean.TRUE.equals(execution.job.getSpec().getSuspend());
        if (execution.process != null && !execution.process.isAlive()) {
            podExited(execution);
        } else if (execution.process != null && suspended && !execution.stopping) {
            execution.stopping = true;
            execution.process.destroy(); // SIGTERM, as the kubelet sends when a suspended Job's pod is deleted
        } else if (execution.process == null && !suspended) {
            startPod(execution);
        }
    }

    private void startPod(Execution execution) throws IOException {
        Job job = execution.job;
        String namespace = job.getMetadata().getNamespace();
        execution.attempts++;
        execution.pod = job.getMetadata().getName() + "-" + execution.attempts;
        execution.terminationLog = Files.createTempFile(directory, execution.pod, ".termination-log");
        Map<String, String> labels = new LinkedHashMap<>(job.getSpec().getTemplate().getMetadata().getLabels());
        labels.put("job-name", job.getMetadata().getName());
        client.pods().inNamespace(namespace).resource(new PodBuilder()
                .withNewMetadata().withName(execution.pod).withNamespace(namespace).withLabels(labels)
                    .withCreationTimestamp(Instant.now().toString()).endMetadata()
                .withSpec(job.getSpec().getTemplate().getSpec())
                .withNewStatus().withPhase("Running").endStatus()
                .build()).create();
        Container container = job.getSpec().getTemplate().getSpec().getContainers().get(0);
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-cp", System.getProperty("java.class.path"),
                EtlRunner.class.getName()));
        command.addAll(container.getArgs());
        ProcessBuilder builder = new ProcessBuilder(command)
                .redirectOutput(directory.resolve(execution.pod + ".out").toFile())
                .redirectError(directory.resolve(execution.pod + ".err").toFile());
        builder.environment().putAll(environment(namespace, container));
        builder.environment().put("HOSTNAME", execution.pod);
        // the kubelet mounts a file at terminationMessagePath; here it is a file of ours
        builder.environment().put(PodEnvironment.TERMINATION_LOG, execution.terminationLog.toString());
        builder.environment().remove("JAVA_TOOL_OPTIONS");
        execution.process = builder.start();
        patchJobStatus(job, Map.of("active", 1, "startTime", Instant.now().toString(), "conditions", List.of()));
    }

    private void podExited(Execution execution) throws IOException {
        Job job = execution.job;
        String namespace = job.getMetadata().getNamespace();
        int exit = execution.process.exitValue();
        String message = Files.readString(execution.terminationLog).strip();
        execution.process = null;
        if (execution.stopping) {
            // a suspended Job's pod is deleted; it counts neither as success nor as failure
            execution.stopping = false;
            client.pods().inNamespace(namespace).withName(execution.pod).delete();
            patchJobStatus(job, Map.of("active", 0, "conditions", List.of(condition("Suspended", "JobSuspended"))));
            return;
        }
        patchPodStatus(namespace, execution.pod, exit, message);
        if (exit == 0) {
            execution.finished = true;
            patchJobStatus(job, Map.of("active", 0, "succeeded", 1, "completionTime", Instant.now().toString(),
                    "conditions", List.of(condition("Complete", "Completed"))));
            return;
        }
        execution.failures++;
        int backoffLimit = job.getSpec().getBackoffLimit() == null ? 6 : job.getSpec().getBackoffLimit();
        if (FAIL_JOB_EXIT_CODES.contains(exit) || execution.failures > backoffLimit) {
            execution.finished = true;
            patchJobStatus(job, Map.of("active", 0, "failed", execution.failures, "conditions", List.of(condition("Failed",
                    FAIL_JOB_EXIT_CODES.contains(exit) ? "PodFailurePolicy" : "BackoffLimitExceeded"))));
        } else {
            patchJobStatus(job, Map.of("active", 0, "failed", execution.failures));
        }
    }

    private Map<String, String> environment(String namespace, Container container) {
        Map<String, String> env = new HashMap<>();
        for (EnvVar variable : container.getEnv()) {
            if (variable.getValue() != null) {
                env.put(variable.getName(), variable.getValue());
            } else if (variable.getValueFrom() != null && variable.getValueFrom().getSecretKeyRef() != null) {
                String value = secretValue(namespace, variable.getValueFrom().getSecretKeyRef());
                if (value != null) {
                    env.put(variable.getName(), value);
                }
            }
        }
        return env;
    }

    private String secretValue(String namespace, SecretKeySelector selector) {
        Secret secret = client.secrets().inNamespace(namespace).withName(selector.getName()).get();
        if (secret == null) {
            return null;
        }
        if (secret.getData() != null && secret.getData().containsKey(selector.getKey())) {
            return new String(Base64.getDecoder().decode(secret.getData().get(selector.getKey())), StandardCharsets.UTF_8);
        }
        return secret.getStringData() == null ? null : secret.getStringData().get(selector.getKey());
    }

    private void patchPodStatus(String namespace, String pod, int exit, String message) throws IOException {
        ObjectNode terminated = JSON.createObjectNode().put("exitCode", exit).put("message", message)
                .put("reason", exit == 0 ? "Completed" : "Error").put("finishedAt", Instant.now().toString());
        ObjectNode status = JSON.createObjectNode().put("phase", exit == 0 ? "Succeeded" : "Failed");
        status.putArray("containerStatuses").addObject().put("name", RunnerJobFactory.CONTAINER)
                .putObject("state").set("terminated", terminated);
        ObjectNode patch = JSON.createObjectNode();
        patch.set("status", status);
        client.pods().inNamespace(namespace).withName(pod).subresource("status")
                .patch(PatchContext.of(PatchType.JSON_MERGE), JSON.writeValueAsString(patch));
    }

    private void patchJobStatus(Job job, Map<String, Object> status) throws IOException {
        client.batch().v1().jobs().inNamespace(job.getMetadata().getNamespace()).withName(job.getMetadata().getName())
                .subresource("status")
                .patch(PatchContext.of(PatchType.JSON_MERGE), JSON.writeValueAsString(Map.of("status", status)));
    }

    private static Map<String, String> condition(String type, String reason) {
        return Map.of("type", type, "status", "True", "reason", reason, "lastTransitionTime", Instant.now().toString());
    }

    @Override
    public void close() {
        loop.shutdownNow();
        try {
            loop.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        executions.values().stream().map(e -> e.process).filter(p -> p != null).forEach(Process::destroyForcibly);
    }
}
