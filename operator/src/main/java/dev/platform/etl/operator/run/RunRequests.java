package dev.platform.etl.operator.run;

import com.cronutils.model.CronType;
import com.cronutils.model.definition.CronDefinitionBuilder;
import com.cronutils.model.time.ExecutionTime;
import com.cronutils.parser.CronParser;
import dev.platform.etl.api.EtlPipeline;
import dev.platform.etl.api.spec.EtlPipelineSpec;
import dev.platform.etl.api.status.EtlPipelineStatus;
import dev.platform.etl.api.status.RunResult;
import dev.platform.etl.api.validation.Violation;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Whether a pipeline wants a run now: a {@code spec.runRequest} value not yet handled, a schedule
 * tick (cron, in {@code spec.timeZone}) since the last one handled, a paused run to resume, or a
 * failed one to retry ({@link RunRetries}).
 * However many of these arrived during a run, they give one run after it, as a CronJob with
 * {@code concurrencyPolicy: Forbid} would; a tick that could not start within
 * {@code spec.startingDeadlineSeconds} is skipped instead.
 */
public final class RunRequests {
    private static final CronParser CRON = new CronParser(CronDefinitionBuilder.instanceDefinitionFor(CronType.UNIX));

    /**
     * A request to run, and what to record as handled when its run starts. A new request (a
     * runRequest value or a tick) starts its own count of failed attempts; a resume or a retry
     * continues the request before it.
     */
    public record Request(String reason, String runRequest, Instant scheduleTick, boolean newRequest) {
    }

    public static List<Violation> checkSchedule(EtlPipelineSpec spec) {
        List<Violation> violations = new ArrayList<>();
        String schedule = spec.getSchedule();
        if (schedule != null && !schedule.isBlank()) {
            try {
                CRON.parse(schedule).validate();
            } catch (IllegalArgumentException e) {
                violations.add(new Violation("spec.schedule", "'" + schedule + "' is not a cron expression (minute hour day month weekday): "
                        + e.getMessage()));
            }
        }
        if (spec.getTimeZone() != null) {
            try {
                ZoneId.of(spec.getTimeZone());
            } catch (DateTimeException e) {
                violations.add(new Violation("spec.timeZone", "'" + spec.getTimeZone() + "' is not an IANA time zone, such as UTC or Europe/Berlin"));
            }
        }
        return violations;
    }

    public Optional<Request> pending(EtlPipeline pipeline, Instant now) {
        EtlPipelineStatus status = pipeline.getStatus();
        String runRequest = pipeline.getSpec().getRunRequest();
        if (runRequest != null && !runRequest.isBlank() && !runRequest.equals(status.getHandledRunRequest())) {
            return Optional.of(new Request("runRequest " + runRequest, runRequest, null, true));
        }
        Optional<Instant> tick = dueTick(pipeline, now).filter(due -> !isLate(pipeline, due, now));
        if (tick.isPresent()) {
            return Optional.of(new Request("schedule " + tick.get(), status.getHandledRunRequest(), tick.get(), true));
        }
        if (status.getLastRun() != null && status.getLastRun().getResult() == RunResult.PAUSED) {
            return Optional.of(new Request("resume after pause", status.getHandledRunRequest(), null, false));
        }
        if (RunRetries.nextAt(pipeline).filter(due -> !due.isAfter(now)).isPresent()) {
            return Optional.of(new Request("retry " + status.getFailedAttempts() + " of " + pipeline.getSpec().getRunRetry().getLimit()
                    + " after run " + status.getLastRun().getRunId() + " failed", status.getHandledRunRequest(), null, false));
        }
        return Optional.empty();
    }

    /** The tick due now if it is too late to start its run: it is to be recorded as handled, with no run. */
    public Optional<Instant> missedTick(EtlPipeline pipeline, Instant now) {
        return dueTick(pipeline, now).filter(due -> isLate(pipeline, due, now));
    }

    public Optional<Instant> nextTick(EtlPipeline pipeline, Instant now) {
        return executionTime(pipeline).flatMap(cron -> cron.nextExecution(ZonedDateTime.ofInstant(now, zone(pipeline))))
                .map(ZonedDateTime::toInstant);
    }

    /** The latest schedule tick at or before now that no run has handled yet. */
    private Optional<Instant> dueTick(EtlPipeline pipeline, Instant now) {
        Instant since = Optional.ofNullable(pipeline.getStatus().getLastScheduledTime()).map(Instant::parse)
                .orElseGet(() -> Instant.parse(Objects.requireNonNullElse(pipeline.getMetadata().getCreationTimestamp(), now.toString())));
        return executionTime(pipeline).flatMap(cron -> cron.lastExecution(ZonedDateTime.ofInstant(now, zone(pipeline))))
                .map(ZonedDateTime::toInstant)
                .filter(tick -> tick.isAfter(since));
    }

    private static boolean isLate(EtlPipeline pipeline, Instant tick, Instant now) {
        Long deadline = pipeline.getSpec().getStartingDeadlineSeconds();
        return deadline != null && Duration.between(tick, now).compareTo(Duration.ofSeconds(deadline)) > 0;
    }

    private static Optional<ExecutionTime> executionTime(EtlPipeline pipeline) {
        String schedule = pipeline.getSpec().getSchedule();
        return schedule == null || schedule.isBlank() ? Optional.empty() : Optional.of(ExecutionTime.forCron(CRON.parse(schedule)));
    }

    private static ZoneId zone(EtlPipeline pipeline) {
        String zone = pipeline.getSpec().getTimeZone();
        return zone == null ? ZoneOffset.UTC : ZoneId.of(zone);
    }
}
