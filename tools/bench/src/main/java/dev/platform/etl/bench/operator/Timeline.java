package dev.platform.etl.bench.operator;

import dev.platform.etl.api.EtlPipeline;
import dev.platform.etl.api.status.RunResult;
import dev.platform.etl.operator.job.Labels;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * When each pipeline's run of one round was seen: its Job created, and its run finished as
 * SUCCEEDED in status. Watched as they happen, on the bench's own informers.
 */
final class Timeline implements AutoCloseable {
    private final long run;
    private final Map<String, Instant> jobCreated = new ConcurrentHashMap<>();
    private final Map<String, Instant> succeeded = new ConcurrentHashMap<>();
    private final SharedIndexInformer<Job> jobs;
    private final SharedIndexInformer<EtlPipeline> pipelines;

    /** Records the pipelines' run number {@code run} (1 for the first run of each). */
    Timeline(KubernetesClient client, String namespace, long run) {
        this.run = run;
        this.jobs = client.batch().v1().jobs().inNamespace(namespace).withLabel(Labels.RUN, Long.toString(run))
                .inform(onAddOrUpdate(job -> jobCreated.putIfAbsent(job.getMetadata().getLabels().get(Labels.PIPELINE), Instant.now())));
        this.pipelines = client.resources(EtlPipeline.class).inNamespace(namespace).inform(onAddOrUpdate(this::recordSuccess));
    }

    /** Pipelines in the informer's cache and how many have succeeded there, to say where a wait is stuck. */
    String cacheSummary() {
        long inCache = pipelines.getStore().list().size();
        long succeededInCache = pipelines.getStore().list().stream().filter(this::hasSucceeded).count();
        return inCache + " pipelines cached, " + succeededInCache + " succeeded there, " + succeeded.size() + " seen succeed";
    }

    private void recordSuccess(EtlPipeline pipeline) {
        if (hasSucceeded(pipeline)) {
            succeeded.putIfAbsent(pipeline.getMetadata().getName(), Instant.now());
        }
    }

    private boolean hasSucceeded(EtlPipeline pipeline) {
        var status = pipeline.getStatus();
        return status != null && status.getLastRun() != null && status.getLastRun().getResult() == RunResult.SUCCEEDED
                && status.getRunCount() != null && status.getRunCount() == run && status.getCurrentRun() == null;
    }

    private static <T> ResourceEventHandler<T> onAddOrUpdate(java.util.function.Consumer<T> record) {
        return new ResourceEventHandler<>() {
            @Override
            public void onAdd(T resource) {
                record.accept(resource);
            }

            @Override
            public void onUpdate(T before, T after) {
                record.accept(after);
            }

            @Override
            public void onDelete(T resource, boolean unknownFinalState) {
            }
        };
    }

    Map<String, Instant> jobCreated() {
        return jobCreated;
    }

    Map<String, Instant> succeeded() {
        return succeeded;
    }

    @Override
    public void close() {
        jobs.close();
        pipelines.close();
    }
}
