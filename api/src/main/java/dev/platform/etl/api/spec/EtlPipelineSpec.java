package dev.platform.etl.api.spec;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import java.util.ArrayList;
import java.util.List;

@JsonInclude(JsonInclude.Include.NON_NULL)
// Every rule that walks spec.tasks relies on its maxItems (the API server refuses a CRD whose rules
// could cost too much on an unbounded list), and is guarded with has(): a missing field is a
// runtime error in CEL, not a rejection with the rule's message.
@ValidationRule(value = "!has(self.tasks) || (size(self.tasks) > 0 && has(self.tasks[0].sqlReader))",
        message = "spec.tasks[0]: the first task must be a sqlReader")
@ValidationRule(value = "!has(self.tasks) || self.tasks.filter(t, has(t.sqlReader)).size() <= 1",
        message = "spec.tasks: only the first task may be a sqlReader")
@ValidationRule(value = "!has(self.tasks) || self.tasks.filter(t, has(t.target)).size() == 0 || "
        + "(self.tasks.filter(t, has(t.target)).size() == 1 && has(self.tasks[size(self.tasks) - 1].target))",
        message = "spec.tasks: a target override is allowed only on the last task")
@ValidationRule(value = "!has(self.mode) || self.mode != 'Incremental' || "
        + "(has(self.incremental) && has(self.incremental.cursorColumn) && has(self.incremental.tieBreakerColumn))",
        message = "spec.incremental: cursorColumn and tieBreakerColumn are required when spec.mode is Incremental")
@ValidationRule(value = "!has(self.parallelism) || self.parallelism == 1 || "
        + "((!has(self.mode) || self.mode == 'Full') && has(self.incremental) && has(self.incremental.tieBreakerColumn))",
        message = "spec.parallelism: more than 1 needs mode Full and spec.incremental.tieBreakerColumn, whose values split the read "
                + "into ranges (Incremental mode runs as one range)")
@ValidationRule(value = "has(self.target) || (has(self.tasks) && size(self.tasks) > 0 && has(self.tasks[size(self.tasks) - 1].target))",
        message = "spec.target: is required (or a target override on the last task)")
public class EtlPipelineSpec {
    public static final int DEFAULT_BATCH_SIZE = 500;
    public static final int MAX_TASKS = 100;
    public static final int MAX_PARALLELISM = 64;

    @JsonPropertyDescription("Full: the whole reader output every run. Incremental: only rows changed since the last committed checkpoint (needs incremental.cursorColumn and tieBreakerColumn).")

    private Mode mode = Mode.Full;
    @JsonPropertyDescription("Rows per batch (1-100000): the unit of commit, checkpoint and pause. Default 500.")
    @Min(1)
    @Max(100_000)
    private Integer batchSize = DEFAULT_BATCH_SIZE;
    @JsonPropertyDescription("Full mode with incremental.tieBreakerColumn: split the read into this many ranges of the tie-breaker, "
            + "each loaded by a pod of its own (an Indexed Job), with its own lease and checkpoint. 1 to 64; default 1.")
    @Min(1)
    @Max(MAX_PARALLELISM)
    private Integer parallelism;
    @JsonPropertyDescription("true pauses the running run after its batch in flight and starts no new run until set back to false.")
    private Boolean suspend = false;
    @JsonPropertyDescription("Optional cron expression (5 fields, in timeZone): a run is requested at each time it matches. "
            + "A tick during a run waits for that run to end (a CronJob's Forbid); ticks missed meanwhile give one run, not one each.")
    private String schedule;
    @JsonPropertyDescription("The IANA time zone the schedule is read in, as a CronJob's timeZone, for example Europe/Berlin. Default UTC.")
    private String timeZone;
    @JsonPropertyDescription("As a CronJob's: a schedule tick that cannot start its run within this many seconds is skipped, "
            + "with a MissedSchedule event. Unset: a late tick still starts its run.")
    @Min(1)
    private Long startingDeadlineSeconds;
    @JsonPropertyDescription("Every new non-empty value requests one run; the value handled last is status.handledRunRequest.")
    private String runRequest;
    @JsonPropertyDescription("Where rows are read from.")
    @Required
    private SourceSpec source;
    @JsonPropertyDescription("Keyset columns of the reader's output: required in Incremental mode; in Full mode a tieBreakerColumn alone makes a full load resumable.")
    private IncrementalSpec incremental;
    @JsonPropertyDescription("The steps, 1 to 100: a sqlReader first (and only first), then any number of transforms; the last may override the target.")
    @Required
    @Size(min = 1, max = MAX_TASKS)
    private List<TaskSpec> tasks = new ArrayList<>();
    @JsonPropertyDescription("Where rows are written: exactly one of postgres or elasticsearch. Required unless the last task overrides it.")
    private TargetSpec target;
    @JsonPropertyDescription("Exponential backoff with jitter for transient failures; a batch is retried whole.")
    private RetrySpec retry = new RetrySpec();
    @JsonPropertyDescription("Failed runs started again by the operator, with a backoff, up to a limit; then the pipeline is Stalled.")
    private RunRetrySpec runRetry = new RunRetrySpec();
    @JsonPropertyDescription("Optional: where the control schema lives, if not in the default database.")
    private ControlSpec control;

    public Mode getMode() {
        return mode;
    }

    public void setMode(Mode mode) {
        this.mode = mode;
    }

    public Integer getBatchSize() {
        return batchSize;
    }

    public void setBatchSize(Integer batchSize) {
        this.batchSize = batchSize;
    }

    public Integer getParallelism() {
        return parallelism;
    }

    public void setParallelism(Integer parallelism) {
        this.parallelism = parallelism;
    }

    /** How many ranges a run reads: spec.parallelism, or 1. */
    public int ranges() {
        return parallelism == null ? 1 : parallelism;
    }

    public Boolean getSuspend() {
        return suspend;
    }

    public void setSuspend(Boolean suspend) {
        this.suspend = suspend;
    }

    public String getSchedule() {
        return schedule;
    }

    public void setSchedule(String schedule) {
        this.schedule = schedule;
    }

    public String getTimeZone() {
        return timeZone;
    }

    public void setTimeZone(String timeZone) {
        this.timeZone = timeZone;
    }

    public Long getStartingDeadlineSeconds() {
        return startingDeadlineSeconds;
    }

    public void setStartingDeadlineSeconds(Long startingDeadlineSeconds) {
        this.startingDeadlineSeconds = startingDeadlineSeconds;
    }

    public String getRunRequest() {
        return runRequest;
    }

    public void setRunRequest(String runRequest) {
        this.runRequest = runRequest;
    }

    public SourceSpec getSource() {
        return source;
    }

    public void setSource(SourceSpec source) {
        this.source = source;
    }

    public IncrementalSpec getIncremental() {
        return incremental;
    }

    public void setIncremental(IncrementalSpec incremental) {
        this.incremental = incremental;
    }

    public List<TaskSpec> getTasks() {
        return tasks;
    }

    public void setTasks(List<TaskSpec> tasks) {
        this.tasks = tasks == null ? new ArrayList<>() : tasks;
    }

    public TargetSpec getTarget() {
        return target;
    }

    public void setTarget(TargetSpec target) {
        this.target = target;
    }

    public RetrySpec getRetry() {
        return retry;
    }

    public void setRetry(RetrySpec retry) {
        this.retry = retry == null ? new RetrySpec() : retry;
    }

    public RunRetrySpec getRunRetry() {
        return runRetry;
    }

    public void setRunRetry(RunRetrySpec runRetry) {
        this.runRetry = runRetry == null ? new RunRetrySpec() : runRetry;
    }

    public ControlSpec getControl() {
        return control;
    }

    public void setControl(ControlSpec control) {
        this.control = control;
    }

    /** The target the last task writes to: its override if it has one, otherwise {@code spec.target}. */
    public TargetSpec effectiveTarget() {
        return hasTargetOverride() ? tasks.get(tasks.size() - 1).getTarget() : target;
    }

    /** Where {@link #effectiveTarget()} is written in the manifest, for messages. */
    public String effectiveTargetField() {
        return hasTargetOverride() ? "spec.tasks[" + (tasks.size() - 1) + "].target" : "spec.target";
    }

    private boolean hasTargetOverride() {
        return !tasks.isEmpty() && tasks.get(tasks.size() - 1) != null && tasks.get(tasks.size() - 1).getTarget() != null;
    }
}
