package dev.platform.etl.kubectl;

import dev.platform.etl.api.EtlPipeline;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.function.Predicate;

/** The pipelines of one namespace, as the verbs read and patch them; closes its client. */
final class Pipelines implements AutoCloseable {
    /** The label the Job controller puts on its pods: the Job's name. */
    static final String JOB_LABEL = "batch.kubernetes.io/job-name";

    /** A mistake of the user's (a pipeline that does not exist): exit 2. */
    static final class UsageException extends RuntimeException {
        UsageException(String message) {
            super(message);
        }
    }

    private final KubernetesClient client;
    private final String namespace;

    Pipelines(KubernetesClient client, String namespace) {
        this.client = client;
        this.namespace = namespace;
    }

    String namespace() {
        return namespace;
    }

    EtlPipeline get(String name) {
        EtlPipeline pipeline = client.resources(EtlPipeline.class).inNamespace(namespace).withName(name).get();
        if (pipeline == null) {
            throw new UsageException("no EtlPipeline " + name + " in namespace " + namespace);
        }
        return pipeline;
    }

    List<EtlPipeline> list(boolean allNamespaces) {
        List<EtlPipeline> items = allNamespaces ? client.resources(EtlPipeline.class).inAnyNamespace().list().getItems()
                : client.resources(EtlPipeline.class).inNamespace(namespace).list().getItems();
        return items.stream().sorted(Comparator.comparing((EtlPipeline p) -> p.getMetadata().getNamespace())
                .thenComparing(p -> p.getMetadata().getName())).toList();
    }

    /** {@code kubectl patch etlp NAME --type merge -p '{"spec": SPEC}'}. */
    void patchSpec(String name, String specJson) {
        get(name);
        client.resources(EtlPipeline.class).inNamespace(namespace).withName(name)
                .patch(PatchContext.of(PatchType.JSON_MERGE), "{\"spec\":" + specJson + "}");
    }

    /** Waits until the pipeline satisfies {@code done}, polling; returns it then, or throws once {@code timeout} has passed. */
    EtlPipeline await(String name, Predicate<EtlPipeline> done, Duration timeout, String what) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            EtlPipeline pipeline = get(name);
            if (done.test(pipeline)) {
                return pipeline;
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("timed out after " + timeout.toSeconds() + " s waiting for " + name + " " + what);
            }
            Thread.sleep(1000);
        }
    }

    /** The pods of a run's Job, oldest first (the Job controller labels them with its name). */
    List<Pod> podsOf(String job) {
        return client.pods().inNamespace(namespace).withLabel(JOB_LABEL, job).list().getItems()
                .stream().sorted(Comparator.comparing(p -> p.getMetadata().getCreationTimestamp())).toList();
    }

    /** The Job of the run in progress, else of the last run; null before the first. */
    static String currentOrLastJob(EtlPipeline pipeline) {
        if (pipeline.getStatus() == null) {
            return null;
        }
        return pipeline.getStatus().getCurrentRun() != null ? pipeline.getStatus().getCurrentRun().getJob()
                : pipeline.getStatus().getLastRun() != null ? pipeline.getStatus().getLastRun().getJob() : null;
    }

    String log(Pod pod) {
        return client.pods().inNamespace(namespace).withName(pod.getMetadata().getName()).getLog();
    }

    /** The pipeline's Events, oldest first. */
    List<Event> events(String name) {
        return client.v1().events().inNamespace(namespace).withField("involvedObject.name", name).list().getItems().stream()
                .filter(e -> "EtlPipeline".equals(e.getInvolvedObject().getKind()))
                .sorted(Comparator.comparing(e -> e.getLastTimestamp() == null ? "" : e.getLastTimestamp())).toList();
    }

    @Override
    public void close() {
        client.close();
    }
}
