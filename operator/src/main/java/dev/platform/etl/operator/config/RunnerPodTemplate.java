package dev.platform.etl.operator.config;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What a platform team adds to every runner pod: labels, annotations, scheduling (nodeSelector,
 * tolerations, affinity, priorityClassName), imagePullSecrets, the pod's and the container's
 * securityContext, and extra env. The chart passes it as a pod template in JSON
 * ({@value #VARIABLE}); the operator fills in the rest. Kept as its JSON text, so that every Job
 * starts from a fresh copy. Checked when the operator starts: a label, container or variable that
 * the operator sets itself is refused, so nothing a user adds is silently overridden.
 */
public record RunnerPodTemplate(String json) {
    public static final String VARIABLE = "ETL_RUNNER_POD_TEMPLATE";
    /** The one container of a runner pod. */
    public static final String CONTAINER = "runner";
    private static final KubernetesSerialization JSON = new KubernetesSerialization();
    private static final List<String> RESERVED_LABEL_PREFIXES = List.of("etl.platform.dev/", "app.kubernetes.io/managed-by", "app.kubernetes.io/name");
    /** Without the chart: the restricted defaults, nothing else. */
    public static final RunnerPodTemplate NONE = new RunnerPodTemplate("{}");

    public RunnerPodTemplate {
        PodTemplateSpec template = parse(json);
        Map<String, String> labels = template.getMetadata() == null ? null : template.getMetadata().getLabels();
        if (labels != null) {
            labels.keySet().stream().filter(RunnerPodTemplate::reserved).findFirst().ifPresent(label -> {
                throw new IllegalArgumentException(VARIABLE + ": the pod label " + label + " (runner.podLabels) is set by the operator");
            });
        }
        List<Container> containers = template.getSpec() == null ? List.of() : template.getSpec().getContainers();
        for (Container container : containers) {
            if (!CONTAINER.equals(container.getName())) {
                throw new IllegalArgumentException(VARIABLE + ": a container named " + container.getName()
                        + "; the template may only add to the container \"" + CONTAINER + "\"");
            }
            for (EnvVar variable : container.getEnv()) {
                if (reservedVariable(variable.getName())) {
                    throw new IllegalArgumentException(VARIABLE + ": the variable " + variable.getName()
                            + " (runner.extraEnv) is set by the operator; names starting ETL_, JAVA_TOOL_OPTIONS and JOB_COMPLETION_INDEX are reserved");
                }
            }
        }
    }

    public static RunnerPodTemplate fromEnvironment(Map<String, String> env) {
        String json = env.get(VARIABLE);
        return json == null || json.isBlank() ? NONE : new RunnerPodTemplate(json);
    }

    /** A new copy of the template, with an empty spec and metadata where it had none. */
    public PodTemplateSpec copy() {
        PodTemplateSpec template = parse(json);
        if (template.getMetadata() == null) {
            template.setMetadata(new ObjectMeta());
        }
        if (template.getSpec() == null) {
            template.setSpec(new PodSpec());
        }
        return template;
    }

    /** The template's runner container, or none. */
    public static Optional<Container> runnerContainer(PodTemplateSpec template) {
        return template.getSpec().getContainers().stream().filter(c -> CONTAINER.equals(c.getName())).findFirst();
    }

    private static boolean reservedVariable(String name) {
        return name.startsWith("ETL_") || name.equals("JAVA_TOOL_OPTIONS") || name.equals("JOB_COMPLETION_INDEX");
    }

    private static boolean reserved(String label) {
        return RESERVED_LABEL_PREFIXES.stream().anyMatch(label::startsWith);
    }

    private static PodTemplateSpec parse(String json) {
        try {
            return JSON.unmarshal(json, PodTemplateSpec.class);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException(VARIABLE + " is not a pod template in JSON: " + e.getMessage(), e);
        }
    }
}
