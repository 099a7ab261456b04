package dev.platform.etl.testkit.kube;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;

/** The statuses the process kubelet writes: a pod's phase, conditions and container state, as a kubelet reports them. */
final class PodStatusWriter {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final KubernetesClient client;

    PodStatusWriter(KubernetesClient client) {
        this.client = client;
    }

    void running(Pod pod, PodProcess run) {
        ObjectNode status = podStatus(pod, run, "Running", run.ready);
        ObjectNode container = containerStatus(run, run.ready);
        state(container, "running").put("startedAt", run.startedAt.truncatedTo(ChronoUnit.SECONDS).toString());
        container.put("started", true);
        status.putArray("containerStatuses").add(container);
        patchStatus(client.pods().inNamespace(run.namespace).withName(run.name), status);
    }

    void waiting(Pod pod, PodProcess run, String reason, String message) {
        ObjectNode status = podStatus(pod, run, "Pending", false);
        ObjectNode container = containerStatus(run, false);
        state(container, "waiting").put("reason", reason).put("message", message);
        status.putArray("containerStatuses").add(container);
        patchStatus(client.pods().inNamespace(run.namespace).withName(run.name), status);
    }

    void terminated(Pod pod, PodProcess run, int exit) {
        Container spec = pod.getSpec().getContainers().get(0);
        terminated(pod, run, exit, run.terminationMessage("FallbackToLogsOnError".equals(spec.getTerminationMessagePolicy()), exit));
    }

    void terminated(Pod pod, PodProcess run, int exit, String message) {
        ObjectNode status = podStatus(pod, run, exit == 0 ? "Succeeded" : "Failed", false);
        ObjectNode container = containerStatus(run, false);
        container.put("started", false);
        ObjectNode terminated = state(container, "terminated").put("exitCode", exit)
                .put("reason", exit == 0 ? "Completed" : "Error")
                .put("startedAt", (run.startedAt == null ? Instant.now() : run.startedAt).truncatedTo(ChronoUnit.SECONDS).toString())
                .put("finishedAt", Instant.now().truncatedTo(ChronoUnit.SECONDS).toString());
        if (run.process != null) {
            terminated.put("containerID", run.process.containerId());
        }
        if (!message.isEmpty()) {
            terminated.put("message", message);
        }
        status.putArray("containerStatuses").add(container);
        patchStatus(client.pods().inNamespace(run.namespace).withName(run.name), status);
    }

    private static ObjectNode podStatus(Pod pod, PodProcess run, String phase, boolean ready) {
        String now = Instant.now().truncatedTo(ChronoUnit.SECONDS).toString();
        ObjectNode status = JSON.createObjectNode().put("phase", phase).put("hostIP", "127.0.0.1").put("podIP", run.ip);
        status.putArray("podIPs").addObject().put("ip", run.ip);
        status.putArray("hostIPs").addObject().put("ip", "127.0.0.1");
        status.put("startTime", pod.getStatus().getStartTime() == null ? now : pod.getStatus().getStartTime());
        ArrayNode conditions = status.putArray("conditions");
        condition(conditions, "PodScheduled", "True", null, now);
        condition(conditions, "Initialized", "True", null, now);
        boolean terminal = phase.equals("Succeeded") || phase.equals("Failed");
        condition(conditions, "ContainersReady", ready ? "True" : "False", terminal ? "PodCompleted" : ready ? null : "ContainersNotReady", now);
        condition(conditions, "Ready", ready ? "True" : "False", terminal ? "PodCompleted" : ready ? null : "ContainersNotReady", now);
        return status;
    }

    /** The container's state of that kind; the patch clears the other kinds, which a merge would keep. */
    private static ObjectNode state(ObjectNode container, String kind) {
        ObjectNode state = container.putObject("state");
        for (String other : List.of("running", "waiting", "terminated")) {
            state.putNull(other);
        }
        return state.putObject(kind);
    }

    private static ObjectNode containerStatus(PodProcess run, boolean ready) {
        ObjectNode container = JSON.createObjectNode().put("name", run.container).put("image", run.image).put("imageID", "")
                .put("ready", ready).put("restartCount", run.restarts);
        if (run.process != null) {
            container.put("containerID", run.process.containerId());
        }
        return container;
    }

    static ObjectNode condition(ArrayNode conditions, String type, String status, String reason, String now) {
        ObjectNode condition = conditions.addObject().put("type", type).put("status", status).put("lastTransitionTime", now);
        if (reason != null) {
            condition.put("reason", reason);
        }
        return condition;
    }

    static void patchStatus(io.fabric8.kubernetes.client.dsl.Resource<?> resource, ObjectNode status) {
        ObjectNode patch = JSON.createObjectNode();
        patch.set("status", status);
        resource.subresource("status").patch(PatchContext.of(PatchType.STRATEGIC_MERGE), patch.toString());
    }

}
