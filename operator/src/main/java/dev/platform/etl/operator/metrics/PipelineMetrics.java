package dev.platform.etl.operator.metrics;

import dev.platform.etl.api.EtlPipeline;
import dev.platform.etl.api.status.CurrentRun;
import dev.platform.etl.api.status.EtlPipelineStatus;
import dev.platform.etl.api.status.LastRun;
import dev.platform.etl.api.status.Phase;
import dev.platform.etl.api.status.RunResult;
import dev.platform.etl.api.status.RunTotals;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.ToDoubleFunction;

/**
 * The series each pipeline exports, named to Prometheus conventions (labels {@code namespace} and
 * {@code pipeline}): runs by result, rows read and written, run duration as a histogram, the time
 * of the last success, the phase, whether it is Stalled, and the current run's rows and rate.
 *
 * <p>The counters are read from the pipeline's status ({@code status.totals}), not counted here: a
 * run is counted once however often its end is written (a status patch that failed is written
 * again), and the counts go on where they were after the operator restarts or another replica
 * takes over.
 */
public final class PipelineMetrics {
    /** Run durations, from a minute to a day: batch loads take minutes to hours. */
    private static final Duration[] DURATION_BUCKETS = {Duration.ofSeconds(10), Duration.ofMinutes(1), Duration.ofMinutes(5),
            Duration.ofMinutes(15), Duration.ofHours(1), Duration.ofHours(4), Duration.ofHours(12), Duration.ofHours(24)};

    private final MeterRegistry registry;
    private final Map<Key, Exported> pipelines = new ConcurrentHashMap<>();

    public PipelineMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    private record Key(String namespace, String name) {
        Tags tags() {
            return Tags.of("namespace", namespace, "pipeline", name);
        }
    }

    /** What the series of one pipeline read: its status as last settled, and the last run timed. */
    private static final class Exported {
        private final List<Meter> meters = new ArrayList<>();
        private volatile EtlPipelineStatus status = new EtlPipelineStatus();
        private volatile String timedRun;
    }

    /** Exports the pipeline's status as it now is (called once a pass has settled it). */
    public void observe(EtlPipeline pipeline) {
        exported(pipeline).status = pipeline.getStatus();
    }

    /** Times a run that has ended, once per run id. */
    public void runEnded(EtlPipeline pipeline, LastRun run) {
        Exported exported = exported(pipeline);
        if (Objects.equals(exported.timedRun, run.getRunId())) {
            return;
        }
        exported.timedRun = run.getRunId();
        Key key = key(pipeline);
        Timer timer = Timer.builder("etl.pipeline.run.duration").description("How long runs took, from their start to their end")
                .tags(key.tags()).tag("result", run.getResult().name()).serviceLevelObjectives(DURATION_BUCKETS).register(registry);
        synchronized (exported.meters) {
            if (!exported.meters.contains(timer)) {
                exported.meters.add(timer);
            }
        }
        timer.record(Duration.between(Instant.parse(run.getStartedAt()), Instant.parse(run.getFinishedAt())));
    }

    /** Drops the series of a pipeline that was deleted. */
    public void forget(String namespace, String name) {
        Exported exported = pipelines.remove(new Key(namespace, name));
        if (exported != null) {
            synchronized (exported.meters) {
                exported.meters.forEach(registry::remove);
            }
        }
    }

    private Exported exported(EtlPipeline pipeline) {
        return pipelines.computeIfAbsent(key(pipeline), this::register);
    }

    private static Key key(EtlPipeline pipeline) {
        return new Key(pipeline.getMetadata().getNamespace(), pipeline.getMetadata().getName());
    }

    private Exported register(Key key) {
        Exported exported = new Exported();
        List<Meter> meters = exported.meters;
        for (RunResult result : RunResult.values()) {
            meters.add(FunctionCounter.builder("etl.pipeline.runs", exported, e -> totals(e).runs(result))
                    .description("Runs ended, by result").tags(key.tags()).tag("result", result.name()).register(registry));
        }
        meters.add(FunctionCounter.builder("etl.pipeline.rows.read", exported, e -> totals(e).getRowsRead())
                .description("Rows read by the runs ended").tags(key.tags()).register(registry));
        meters.add(FunctionCounter.builder("etl.pipeline.rows.written", exported, e -> totals(e).getRowsWritten())
                .description("Rows written by the runs ended").tags(key.tags()).register(registry));
        meters.add(gauge("etl.pipeline.last.success.timestamp", "seconds", "When the last successful run ended (Unix time)", key, exported,
                e -> Optional.ofNullable(e.status.getLastSuccessfulTime()).map(t -> Instant.parse(t).toEpochMilli() / 1000.0).orElse(Double.NaN)));
        for (Phase phase : Phase.values()) {
            meters.add(Gauge.builder("etl.pipeline.phase", exported, e -> e.status.getPhase() == phase ? 1 : 0)
                    .description("1 for the pipeline's phase, 0 for the others").tags(key.tags()).tag("phase", phase.name()).register(registry));
        }
        meters.add(gauge("etl.pipeline.stalled", null, "1 while the pipeline is Stalled: it will not progress until someone acts", key,
                exported, e -> e.status.getConditions().stream().anyMatch(c -> "Stalled".equals(c.getType()) && "True".equals(c.getStatus())) ? 1 : 0));
        meters.add(gauge("etl.pipeline.current.run.rows.read", null, "Rows the run in progress has read so far (0 when none)", key, exported,
                e -> current(e).map(CurrentRun::getRowsRead).orElse(0L)));
        meters.add(gauge("etl.pipeline.current.run.rows.per.second", null, "Rows per second the run in progress reads (0 when none)", key,
                exported, e -> current(e).map(CurrentRun::getRowsPerSecond).orElse(0L)));
        return exported;
    }

    private Gauge gauge(String name, String unit, String description, Key key, Exported exported, ToDoubleFunction<Exported> value) {
        return Gauge.builder(name, exported, value).description(description).baseUnit(unit).tags(key.tags()).register(registry);
    }

    private static RunTotals totals(Exported exported) {
        return Optional.ofNullable(exported.status.getTotals()).orElseGet(RunTotals::new);
    }

    private static Optional<CurrentRun> current(Exported exported) {
        return Optional.ofNullable(exported.status.getCurrentRun()).filter(run -> run.getRowsRead() != null);
    }
}
