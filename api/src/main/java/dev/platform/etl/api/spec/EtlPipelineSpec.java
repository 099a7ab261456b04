package dev.platform.etl.api.spec;

import com.fasterxml.jackson.annotation.JsonInclude;
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
@ValidationRule(value = "has(self.target) || (has(self.tasks) && size(self.tasks) > 0 && has(self.tasks[size(self.tasks) - 1].target))",
        message = "spec.target: is required (or a target override on the last task)")
public class EtlPipelineSpec {
    public static final int DEFAULT_BATCH_SIZE = 500;
    public static final int MAX_TASKS = 100;

    private Mode mode = Mode.Full;
    @Min(1)
    @Max(100_000)
    private Integer batchSize = DEFAULT_BATCH_SIZE;
    private Boolean suspend = false;
    private String schedule;
    private String runRequest;
    @Required
    private SourceSpec source;
    private IncrementalSpec incremental;
    @Required
    @Size(min = 1, max = MAX_TASKS)
    private List<TaskSpec> tasks = new ArrayList<>();
    private TargetSpec target;
    private RetrySpec retry = new RetrySpec();
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
