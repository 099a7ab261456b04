package dev.platform.etl.operator.job;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.platform.etl.api.EtlPipeline;
import dev.platform.etl.api.pod.LogSettings;
import dev.platform.etl.api.pod.PodEnvironment;
import dev.platform.etl.api.pod.SecretKeys;
import dev.platform.etl.api.status.RunResult;
import dev.platform.etl.api.validation.Allowlist;
import dev.platform.etl.operator.config.RunnerDefaults;
import dev.platform.etl.operator.config.RunnerPodTemplate;
import io.fabric8.kubernetes.api.model.Capabilities;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.EnvVarBuilder;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.PodSecurityContext;
import io.fabric8.kubernetes.api.model.PodSecurityContextBuilder;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceRequirementsBuilder;
import io.fabric8.kubernetes.api.model.SeccompProfileBuilder;
import io.fabric8.kubernetes.api.model.SecurityContext;
import io.fabric8.kubernetes.api.model.SecurityContextBuilder;
import io.fabric8.kubernetes.api.model.VolumeBuilder;
import io.fabric8.kubernetes.api.model.VolumeMountBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.PodFailurePolicyRuleBuilder;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The one place that builds a runner Job. One pod at a time; a crashed or deleted pod is replaced
 * (up to backoffLimit) and resumes from the checkpoint; exit codes 1 (FAILED) and 2 (INVALID) fail
 * the Job at once, and 143 (stopped by SIGTERM after its batch) neither fails it nor counts
 * against backoffLimit. A pipeline with spec.parallelism N runs as an Indexed Job of N pods at
 * once, each reading the range of its completion index. Credentials reach the pod only through
 * secretKeyRef; every container runs non-root with a read-only root filesystem, no capabilities
 * and the runtime's seccomp profile.
 */
public final class RunnerJobFactory {
    public static final String CONTAINER = RunnerPodTemplate.CONTAINER;
    public static final long RUNNER_UID = 65532;
    /** The pod's index in an Indexed Job, which the Job controller writes on each pod. */
    public static final String COMPLETION_INDEX = "batch.kubernetes.io/job-completion-index";
    private static final String INDEX_VARIABLE = "JOB_COMPLETION_INDEX";
    private static final String TERMINATION_MESSAGE_PATH = "/dev/termination-log";
    private static final ObjectMapper YAML = new YAMLMapper();

    private final RunnerDefaults defaults;
    private final Allowlist allowlist;

    public RunnerJobFactory(RunnerDefaults defaults, Allowlist allowlist) {
        this.defaults = defaults;
        this.allowlist = allowlist;
    }

    public Job build(EtlPipeline pipeline, long run, String jobName) {
        Map<String, String> labels = Labels.forRun(pipeline.getMetadata().getName(), run);
        int ranges = pipeline.getSpec().ranges();
        return new JobBuilder()
                .withNewMetadata()
                    .withName(jobName)
                    .withNamespace(pipeline.getMetadata().getNamespace())
                    .withLabels(labels)
                    .withAnnotations(Labels.handledBy(pipeline.getStatus()))
                    .withOwnerReferences(new OwnerReferenceBuilder()
                            .withApiVersion(EtlPipeline.API_VERSION).withKind(EtlPipeline.KIND)
                            .withName(pipeline.getMetadata().getName()).withUid(pipeline.getMetadata().getUid())
                            .withController(true).withBlockOwnerDeletion(true).build())
                .endMetadata()
                .withNewSpec()
                    .withParallelism(ranges)
                    .withCompletions(ranges)
                    .withCompletionMode(ranges > 1 ? "Indexed" : null)
                    .withBackoffLimit(defaults.backoffLimit())
                    .withSuspend(false)
                    .withNewPodFailurePolicy()
                        .withRules(new PodFailurePolicyRuleBuilder().withAction("FailJob")
                                        .withNewOnExitCodes().withContainerName(CONTAINER).withOperator("In").withValues(RunResult.FAILED.exitCode(), RunResult.INVALID.exitCode()).endOnExitCodes()
                                        .build(),
                                new PodFailurePolicyRuleBuilder().withAction("Ignore")
                                        .withNewOnExitCodes().withContainerName(CONTAINER).withOperator("In")
                                            .withValues(PodEnvironment.STOPPED_BY_SIGNAL_EXIT_CODE).endOnExitCodes()
                                        .build(),
                                new PodFailurePolicyRuleBuilder().withAction("Ignore")
                                        .addNewOnPodCondition().withType("DisruptionTarget").withStatus("True").endOnPodCondition()
                                        .build())
                    .endPodFailurePolicy()
                    .withTemplate(podTemplate(pipeline, labels, jobName, ranges))
                .endSpec()
                .build();
    }

    /**
     * The pod: the platform team's template ({@link RunnerPodTemplate}) with what the operator owns
     * filled in. Its securityContexts default to the restricted ones when the template has none.
     */
    private PodTemplateSpec podTemplate(EtlPipeline pipeline, Map<String, String> labels, String jobName, int ranges) {
        PodTemplateSpec pod = defaults.pod().copy();
        Map<String, String> podLabels = new LinkedHashMap<>(pod.getMetadata().getLabels() == null ? Map.of() : pod.getMetadata().getLabels());
        podLabels.putAll(labels);
        pod.getMetadata().setLabels(podLabels);
        PodSpec spec = pod.getSpec();
        spec.setRestartPolicy("Never");
        spec.setServiceAccountName(defaults.serviceAccount().isBlank() ? null : defaults.serviceAccount());
        spec.setAutomountServiceAccountToken(false);
        spec.setTerminationGracePeriodSeconds(defaults.gracePeriodSeconds());
        if (spec.getSecurityContext() == null) {
            spec.setSecurityContext(restrictedPod());
        }
        spec.getVolumes().add(new VolumeBuilder().withName("tmp").withNewEmptyDir().endEmptyDir().build());
        Container runner = RunnerPodTemplate.runnerContainer(pod).orElseGet(() -> {
            Container added = new Container();
            spec.getContainers().add(added);
            return added;
        });
        List<EnvVar> env = environment(pipeline, ranges);
        env.addAll(runner.getEnv());
        runner.setName(CONTAINER);
        runner.setImage(defaults.image());
        runner.setImagePullPolicy(defaults.imagePullPolicy());
        runner.setArgs(arguments(JobNames.runId(jobName, pipeline.getMetadata().getUid()), ranges));
        runner.setEnv(env);
        runner.setResources(new ResourceRequirementsBuilder()
                .withRequests(Map.of("cpu", new Quantity(defaults.cpuRequest()), "memory", new Quantity(defaults.memoryRequest())))
                .withLimits(Map.of("cpu", new Quantity(defaults.cpuLimit()), "memory", new Quantity(defaults.memoryLimit())))
                .build());
        if (runner.getSecurityContext() == null) {
            runner.setSecurityContext(restrictedContainer());
        }
        runner.setTerminationMessagePath(TERMINATION_MESSAGE_PATH);
        runner.setTerminationMessagePolicy("FallbackToLogsOnError");
        runner.getVolumeMounts().add(new VolumeMountBuilder().withName("tmp").withMountPath("/tmp").build());
        return pod;
    }

    private static PodSecurityContext restrictedPod() {
        return new PodSecurityContextBuilder()
                .withRunAsNonRoot(true).withRunAsUser(RUNNER_UID).withRunAsGroup(RUNNER_UID).withFsGroup(RUNNER_UID)
                .withSeccompProfile(new SeccompProfileBuilder().withType("RuntimeDefault").build())
                .build();
    }

    /** The restricted Pod Security Standard, for every container the operator or its chart runs. */
    public static SecurityContext restrictedContainer() {
        return new SecurityContextBuilder()
                .withAllowPrivilegeEscalation(false)
                .withReadOnlyRootFilesystem(true)
                .withRunAsNonRoot(true)
                .withCapabilities(new Capabilities(null, List.of("ALL")))
                .withSeccompProfile(new SeccompProfileBuilder().withType("RuntimeDefault").build())
                .build();
    }

    /** Each pod of an Indexed Job reads the range of its completion index ({@code $(VAR)} is expanded by the kubelet). */
    private static List<String> arguments(String runId, int ranges) {
        List<String> args = new ArrayList<>(List.of("run", "--run-id", runId));
        if (ranges > 1) {
            args.addAll(List.of("--range", "$(" + INDEX_VARIABLE + ")/" + ranges));
        }
        return args;
    }

    private List<EnvVar> environment(EtlPipeline pipeline, int ranges) {
        List<EnvVar> env = new ArrayList<>();
        if (ranges > 1) {
            env.add(new EnvVarBuilder().withName(INDEX_VARIABLE)
                    .withNewValueFrom().withNewFieldRef().withFieldPath("metadata.annotations['" + COMPLETION_INDEX + "']").endFieldRef()
                    .endValueFrom().build());
        }
        env.add(new EnvVar(PodEnvironment.PIPELINE, manifest(pipeline), null));
        env.add(new EnvVar(Allowlist.POSTGRES_TABLES_ENV, String.join(",", allowlist.postgresTables()), null));
        env.add(new EnvVar(Allowlist.ELASTICSEARCH_INDICES_ENV, String.join(",", allowlist.elasticsearchIndices()), null));
        env.add(new EnvVar(PodEnvironment.TERMINATION_LOG, TERMINATION_MESSAGE_PATH, null));
        env.add(new EnvVar(PodEnvironment.STOP_GRACE_PERIOD, stopGracePeriod() + "s", null));
        env.add(new EnvVar(PodEnvironment.LEASE_TTL, defaults.leaseTtl(), null));
        env.add(new EnvVar(PodEnvironment.LEASE_HEARTBEAT, defaults.leaseHeartbeat(), null));
        env.add(new EnvVar("JAVA_TOOL_OPTIONS", PodEnvironment.RUNNER_JAVA_OPTIONS, null));
        env.add(new EnvVar(LogSettings.LEVEL, defaults.logs().level(), null));
        env.add(new EnvVar(LogSettings.FORMAT, defaults.logs().format(), null));
        for (SecretKeys.SecretKey key : SecretKeys.of(pipeline.getSpec())) {
            env.add(new EnvVarBuilder()
                    .withName(PodEnvironment.secretVariable(key.secret(), key.key()))
                    .withNewValueFrom().withNewSecretKeyRef(key.key(), key.secret(), key.optional()).endValueFrom()
                    .build());
        }
        return env;
    }

    /**
     * The runner's time to finish its batch after SIGTERM: the pod's grace period less a margin
     * (a tenth, at least 5 s), so that it abandons a batch itself before the kubelet's SIGKILL.
     */
    long stopGracePeriod() {
        long grace = defaults.gracePeriodSeconds();
        return Math.max(1, grace - Math.max(5, grace / 10));
    }

    /** The pipeline as the runner reads it: apiVersion, kind, name, namespace and spec; no status. */
    private static String manifest(EtlPipeline pipeline) {
        ObjectNode manifest = YAML.createObjectNode();
        manifest.put("apiVersion", EtlPipeline.API_VERSION);
        manifest.put("kind", EtlPipeline.KIND);
        manifest.putObject("metadata")
                .put("name", pipeline.getMetadata().getName())
                .put("namespace", pipeline.getMetadata().getNamespace());
        manifest.set("spec", YAML.valueToTree(pipeline.getSpec()));
        try {
            return YAML.writeValueAsString(manifest);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
