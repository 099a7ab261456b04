package dev.platform.etl.testkit.kube;

import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.UUID;

/** The Events a kubelet records on a pod's container, as {@code kubectl describe pod} lists them. */
final class KubeletEvents {
    private final KubernetesClient client;

    KubeletEvents(KubernetesClient client) {
        this.client = client;
    }

    /** An Event ({@code Warning} or {@code Normal}) about the pod's container, e.g. reason {@code Failed} when its config refuses it. */
    void record(Pod pod, PodProcess run, String type, String reason, String message) {
        String now = Instant.now().truncatedTo(ChronoUnit.SECONDS).toString();
        client.v1().events().inNamespace(run.namespace).resource(new EventBuilder()
                .withNewMetadata().withName(run.name + "." + UUID.randomUUID()).withNamespace(run.namespace).endMetadata()
                .withNewInvolvedObject().withApiVersion("v1").withKind("Pod").withName(run.name).withNamespace(run.namespace)
                .withUid(run.uid).withResourceVersion(pod.getMetadata().getResourceVersion())
                .withFieldPath("spec.containers{" + run.container + "}").endInvolvedObject()
                .withType(type).withReason(reason).withMessage(message)
                .withNewSource().withComponent("kubelet").withHost(ProcessKubelet.NODE).endSource()
                .withReportingComponent("kubelet").withReportingInstance(ProcessKubelet.NODE)
                .withFirstTimestamp(now).withLastTimestamp(now).withCount(1)
                .build()).create();
    }
}
