package dev.platform.etl.operator.events;

import dev.platform.etl.api.EtlPipeline;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.api.model.ObjectReferenceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.time.Instant;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Kubernetes Events about a pipeline, as {@code kubectl describe etlp} shows them. */
public final class PipelineEvents {
    private static final Logger LOG = LoggerFactory.getLogger(PipelineEvents.class);
    private static final int MAX_MESSAGE = 1024;

    private final KubernetesClient client;

    public PipelineEvents(KubernetesClient client) {
        this.client = client;
    }

    public void warning(EtlPipeline pipeline, String reason, String message) {
        emit(pipeline, "Warning", reason, message);
    }

    public void normal(EtlPipeline pipeline, String reason, String message) {
        emit(pipeline, "Normal", reason, message);
    }

    private void emit(EtlPipeline pipeline, String type, String reason, String message) {
        String now = Instant.now().toString();
        String namespace = pipeline.getMetadata().getNamespace();
        Event event = new EventBuilder()
                .withNewMetadata()
                    .withName(pipeline.getMetadata().getName() + "." + UUID.randomUUID().toString().substring(0, 13).replace("-", ""))
                    .withNamespace(namespace)
                .endMetadata()
                .withInvolvedObject(new ObjectReferenceBuilder()
                        .withApiVersion(EtlPipeline.API_VERSION).withKind(EtlPipeline.KIND)
                        .withName(pipeline.getMetadata().getName()).withNamespace(namespace)
                        .withUid(pipeline.getMetadata().getUid()).build())
                .withType(type).withReason(reason)
                .withMessage(message.length() > MAX_MESSAGE ? message.substring(0, MAX_MESSAGE) : message)
                .withFirstTimestamp(now).withLastTimestamp(now).withCount(1)
                .withNewSource().withComponent("etl-operator").endSource()
                .build();
        try {
            client.v1().events().inNamespace(namespace).resource(event).create();
        } catch (KubernetesClientException e) {
            // an Event is information: never fail a reconcile over it
            LOG.warn("could not record event {} for {}/{}: {}", reason, namespace, pipeline.getMetadata().getName(), e.getMessage());
        }
    }
}
