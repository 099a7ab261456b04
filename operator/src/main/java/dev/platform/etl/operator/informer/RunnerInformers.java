package dev.platform.etl.operator.informer;

import dev.platform.etl.api.EtlPipeline;
import dev.platform.etl.operator.job.Labels;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.informers.cache.ItemStore;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.javaoperatorsdk.operator.processing.event.source.SecondaryToPrimaryMapper;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;

/** What the reconciler watches besides pipelines: runner Jobs and pods only (by label), each mapped to its pipeline, cached lean. */
public final class RunnerInformers {
    private RunnerInformers() {
    }

    public static List<EventSource<?, EtlPipeline>> of(EventSourceContext<EtlPipeline> context) {
        return List.of(informer(Job.class, LeanInformerStore.forJobs(), context), informer(Pod.class, LeanInformerStore.forPods(), context));
    }

    /** The cache of pipelines, without their managedFields; {@code onDeleted} hears of each pipeline that goes. */
    public static ItemStore<EtlPipeline> pipelineStore(Consumer<EtlPipeline> onDeleted) {
        return LeanInformerStore.<EtlPipeline>withoutManagedFields().onRemoved(onDeleted);
    }

    private static <R extends HasMetadata> InformerEventSource<R, EtlPipeline> informer(Class<R> type, LeanInformerStore<R> store,
                                                                                      EventSourceContext<EtlPipeline> context) {
        SecondaryToPrimaryMapper<R> byPipelineLabel = resource -> {
            String pipeline = resource.getMetadata().getLabels() == null ? null : resource.getMetadata().getLabels().get(Labels.PIPELINE);
            return pipeline == null ? Set.of() : Set.of(new ResourceID(pipeline, resource.getMetadata().getNamespace()));
        };
        return new InformerEventSource<>(InformerEventSourceConfiguration.from(type, EtlPipeline.class)
                .withName(type.getSimpleName().toLowerCase())
                .withLabelSelector(Labels.SELECTOR)
                .withItemStore(store)
                .withSecondaryToPrimaryMapper(byPipelineLabel)
                .withNamespacesInheritedFromController()
                .build(), context);
    }
}
