package dev.platform.etl.operator.informer;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.informers.cache.BasicItemStore;
import io.fabric8.kubernetes.client.informers.cache.Cache;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;

/**
 * An informer cache that keeps only what the reconciler reads: never {@code managedFields}, and of
 * runner Jobs and pods, neither the pod template nor the pod spec (the observer reads their labels,
 * a Job's conditions, counts and {@code suspend}, and a pod's status). With 1,000 pipelines and
 * their Jobs and pods, those parts were most of the operator's heap.
 */
final class LeanInformerStore<R extends HasMetadata> extends BasicItemStore<R> {
    private final UnaryOperator<R> trim;
    private Consumer<R> onRemoved = removed -> { };

    private LeanInformerStore(UnaryOperator<R> trim) {
        super(Cache::metaNamespaceKeyFunc);
        this.trim = trim;
    }

    /** Calls {@code listener} with each resource the informer drops from the cache: deleted, or out of the watched namespaces. */
    LeanInformerStore<R> onRemoved(Consumer<R> listener) {
        this.onRemoved = listener;
        return this;
    }

    static <R extends HasMetadata> LeanInformerStore<R> withoutManagedFields() {
        return new LeanInformerStore<>(LeanInformerStore::dropManagedFields);
    }

    static LeanInformerStore<Job> forJobs() {
        return new LeanInformerStore<>(job -> {
            if (job.getSpec() != null) {
                job.getSpec().setTemplate(null);
            }
            return dropManagedFields(job);
        });
    }

    static LeanInformerStore<Pod> forPods() {
        return new LeanInformerStore<>(pod -> {
            pod.setSpec(null);
            return dropManagedFields(pod);
        });
    }

    private static <R extends HasMetadata> R dropManagedFields(R resource) {
        resource.getMetadata().setManagedFields(null);
        return resource;
    }

    @Override
    public R put(String key, R resource) {
        return super.put(key, trim.apply(resource));
    }

    @Override
    public R remove(String key) {
        R removed = super.remove(key);
        if (removed != null) {
            onRemoved.accept(removed);
        }
        return removed;
    }
}
