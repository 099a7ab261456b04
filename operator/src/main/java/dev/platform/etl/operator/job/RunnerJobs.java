package dev.platform.etl.operator.job;

import dev.platform.etl.api.EtlPipeline;
import io.fabric8.kubernetes.api.model.DeletionPropagation;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import java.net.HttpURLConnection;
import java.util.Optional;

/**
 * What the operator does to runner Jobs: create one (adopting it when it already exists), suspend
 * and resume it. A Job's pod template is immutable, so a Job is never updated otherwise.
 */
public final class RunnerJobs {
    private final KubernetesClient client;
    private final RunnerJobFactory factory;
    private final int history;

    /** {@code history}: finished Jobs kept per pipeline, as a CronJob keeps its history. */
    public RunnerJobs(KubernetesClient client, RunnerJobFactory factory, int history) {
        this.client = client;
        this.factory = factory;
        this.history = history;
    }

    public int history() {
        return history;
    }

    /** Thrown when a Job of that name exists but belongs to something else. */
    public static final class ForeignJobException extends RuntimeException {
        ForeignJobException(String job) {
            super("a Job named " + job + " already exists and is not owned by this pipeline");
        }
    }

    /**
     * Creates the run's Job. If it already exists (an operator stopped after creating it), adopts
     * it and returns it, as it is now.
     */
    public Optional<Job> createOrAdopt(EtlPipeline pipeline, long run, String jobName) {
        Job job = factory.build(pipeline, run, jobName);
        try {
            client.batch().v1().jobs().inNamespace(pipeline.getMetadata().getNamespace()).resource(job).create();
            return Optional.empty();
        } catch (KubernetesClientException e) {
            if (e.getCode() != HttpURLConnection.HTTP_CONFLICT) {
                throw e;
            }
            Job existing = client.batch().v1().jobs().inNamespace(pipeline.getMetadata().getNamespace()).withName(jobName).get();
            boolean ours = existing != null && existing.getMetadata().getOwnerReferences().stream()
                    .anyMatch(owner -> pipeline.getMetadata().getUid().equals(owner.getUid()));
            if (!ours) {
                throw new ForeignJobException(jobName);
            }
            return Optional.of(existing);
        }
    }

    /** Deletes a finished run's Job; its pods go with it. */
    public void delete(EtlPipeline pipeline, String jobName) {
        client.batch().v1().jobs().inNamespace(pipeline.getMetadata().getNamespace()).withName(jobName)
                .withPropagationPolicy(DeletionPropagation.BACKGROUND).delete();
    }

    /** Kubernetes stops the Job's pod: the runner gets SIGTERM and pauses after its batch in flight. */
    public void suspend(EtlPipeline pipeline, String jobName) {
        setSuspend(pipeline, jobName, true);
    }

    /** Kubernetes starts a new pod, which resumes from the checkpoint. */
    public void resume(EtlPipeline pipeline, String jobName) {
        setSuspend(pipeline, jobName, false);
    }

    private void setSuspend(EtlPipeline pipeline, String jobName, boolean suspend) {
        client.batch().v1().jobs().inNamespace(pipeline.getMetadata().getNamespace()).withName(jobName)
                .patch(PatchContext.of(PatchType.JSON_MERGE), "{\"spec\":{\"suspend\":" + suspend + "}}");
    }
}
