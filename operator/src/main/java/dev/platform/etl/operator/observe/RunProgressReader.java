package dev.platform.etl.operator.observe;

import dev.platform.etl.api.pod.RunnerProgress;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.util.Collection;
import java.util.Comparator;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How far a running run has come, from the last {@code ETL-PROGRESS} line in its runner pod's log
 * ({@code pods/log}, the tail only). The operator holds no database credentials, so it reads what
 * the runner reports rather than the control schema (docs/design.md says why).
 */
public final class RunProgressReader {
    private static final Logger LOG = LoggerFactory.getLogger(RunProgressReader.class);
    /** Enough for the last batch's line, whatever the runner logged after it. */
    private static final int TAIL_LINES = 50;

    private final KubernetesClient client;

    public RunProgressReader(KubernetesClient client) {
        this.client = client;
    }

    /** The progress reported by the newest running pod of the run, if any has reported yet. */
    public Optional<RunnerProgress> read(Collection<Pod> runPods) {
        return runPods.stream().filter(RunProgressReader::running)
                .max(Comparator.comparing(p -> p.getMetadata().getCreationTimestamp()))
                .flatMap(this::readPod);
    }

    /** For a run of several ranges: the progress each range's running pod has reported, by completion index. */
    public Map<Integer, RunnerProgress> readRanges(Collection<Pod> runPods) {
        Map<Integer, RunnerProgress> byIndex = new TreeMap<>();
        runPods.stream().filter(RunProgressReader::running)
                .sorted(Comparator.comparing((Pod p) -> p.getMetadata().getCreationTimestamp()).reversed())
                .forEach(pod -> RunObserver.completionIndex(pod).filter(index -> !byIndex.containsKey(index))
                        .ifPresent(index -> readPod(pod).ifPresent(progress -> byIndex.put(index, progress))));
        return byIndex;
    }

    private static boolean running(Pod pod) {
        return pod.getStatus() != null && "Running".equals(pod.getStatus().getPhase());
    }

    private Optional<RunnerProgress> readPod(Pod pod) {
        try {
            String log = client.pods().inNamespace(pod.getMetadata().getNamespace()).withName(pod.getMetadata().getName())
                    .tailingLines(TAIL_LINES).getLog();
            return log == null ? Optional.empty() : RunnerProgress.lastIn(log);
        } catch (KubernetesClientException e) {
            LOG.debug("no log of pod {}/{} yet: {}", pod.getMetadata().getNamespace(), pod.getMetadata().getName(), e.getMessage());
            return Optional.empty();
        }
    }
}
