package dev.platform.etl.operator.run;

import com.cronutils.model.CronType;
import com.cronutils.model.definition.CronDefinitionBuilder;
import com.cronutils.model.time.ExecutionTime;
import com.cronutils.parser.CronParser;
import dev.platform.etl.api.EtlPipeline;
import dev.platform.etl.api.status.EtlPipelineStatus;
import dev.platform.etl.api.status.RunResult;
import dev.platform.etl.api.validation.Violation;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.Objects;
import java.util.Optional;

/**
 * Whether a pipeline wants a run now: a {@code spec.runRequest} value not yet handled, a schedule
 * tick (cron, UTC) since the last one handled, or a paused run to resume. However many of these
 * arrived during a run, they give one run after it.
 */
public final class RunRequests {
    private static final CronParser CRON = new CronParser(CronDefinitionBuilder.instanceDefinitionFor(CronType.UNIX));

    /** A request to run, and what to record as handled when its run starts. */
    public record Request(String reason, String runRequest, Instant scheduleTick) {
    }

    public static Optional<Violation> checkSchedule(String schedule) {
        if (schedule == null || schedule.isBlank()) {
            return Optional.empty();
        }
        try {
            CRON.parse(schedule).validate();
            return Optional.empty();
        } catch (IllegalArgumentException e) {
            return Optional.of(new Violation("spec.schedule", "'" + schedule + "' is not a cron expression (minute hour day month weekday): "
                    + e.getMessage()));
        }
    }

    public Optional<Request> pending(EtlPipeline pipeline, Instant now) {
        EtlPipelineStatus status = pipeline.getStatus();
        String runRequest = pipeline.getSpec().getRunRequest();
        if (runRequest != null && !runRequest.isBlank() && !runRequest.equals(status.getHandledRunRequest())) {
            return Optional.of(new Request("runRequest " + runRequest, runRequest, null));
        }
        Optional<Instant> tick = dueTick(pipeline, now);
        if (tick.isPresent()) {
            return Optional.of(new Request("schedule " + tick.get(), status.getHandledRunRequest(), tick.get()));
        }
        if (status.getLastRun() != null && status.getLastRun().getResult() == RunResult.PAUSED) {
            return Optional.of(new Request("resume after pause", status.getHandledRunRequest(), null));
        }
        return Optional.empty();
    }

    /** The latest schedule tick at or before now that no run has handled yet. */
    private Optional<Instant> dueTick(EtlPipeline pipeline, Instant now) {
        String schedule = pipeline.getSpec().getSchedule();
        if (schedule == null || schedule.isBlank()) {
            return Optional.empty();
        }
        Instant since = Optional.ofNullable(pipeline.getStatus().getLastScheduledTime()).map(Instant::parse)
                .orElseGet(() -> Instant.parse(Objects.requireNonNullElse(pipeline.getMetadata().getCreationTimestamp(), now.toString())));
        return ExecutionTime.forCron(CRON.parse(schedule)).lastExecution(ZonedDateTime.ofInstant(now, ZoneOffset.UTC))
                .map(ZonedDateTime::toInstant)
                .filter(tick -> tick.isAfter(since));
    }

    public Optional<Instant> nextTick(EtlPipeline pipeline, Instant now) {
        String schedule = pipeline.getSpec().getSchedule();
        if (schedule == null || schedule.isBlank()) {
            return Optional.empty();
        }
        return ExecutionTime.forCron(CRON.parse(schedule)).nextExecution(ZonedDateTime.ofInstant(now, ZoneOffset.UTC))
                .map(ZonedDateTime::toInstant);
    }
}
