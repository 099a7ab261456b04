package dev.platform.etl.api.status;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.kubernetes.api.model.Condition;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

@JsonInclude(JsonInclude.Include.NON_NULL)
public class EtlPipelineStatus {
    @JsonPropertyDescription("Idle (valid, never run yet), Pending (a run that cannot start its pod), Running, Paused, Suspended, Succeeded, Failed or Invalid.")
    private Phase phase;
    @JsonPropertyDescription("The spec generation the operator last acted on.")
    private Long observedGeneration;
    @JsonPropertyDescription("In the kstatus style, each with observedGeneration: Ready (valid and able to run), Reconciling (a run is in progress), Stalled (no progress without a change by a user: an invalid spec, a pod that cannot start, spec.runRetry used up), Suspended (spec.suspend) and LastRunSucceeded.")
    private List<Condition> conditions = new ArrayList<>();
    @JsonPropertyDescription("The last run that ended: its result and counters, from the runner's summary.")
    private LastRun lastRun;
    /** A mirror of the checkpoint; PostgreSQL holds the truth. */
    @JsonPropertyDescription("Where the last run stopped (cursor and tieBreaker values), from the runner's summary.")
    private Map<String, String> checkpoint;
    /** The run in progress (or about to start), or null. */
    @JsonPropertyDescription("The run being started or running, if any.")
    private CurrentRun currentRun;
    /** How many runs were started: the next run's number is this plus one. */
    @JsonPropertyDescription("How many runs the operator has started for this pipeline.")
    private Long runCount;
    /** The spec.runRequest value last turned into a run. */
    @JsonPropertyDescription("The spec.runRequest value of the last run that ended: kubectl wait for it to know that the run you requested has finished.")
    private String handledRunRequest;
    /** The last schedule tick turned into a run (ISO-8601). */
    @JsonPropertyDescription("When spec.schedule last requested a run (RFC 3339).")
    private String lastScheduledTime;
    /** The next schedule tick (ISO-8601), when spec.schedule is set. */
    @JsonPropertyDescription("When spec.schedule will next request a run (RFC 3339).")
    private String nextScheduledTime;
    @JsonPropertyDescription("When the last run that succeeded ended (RFC 3339).")
    private String lastSuccessfulTime;
    @JsonPropertyDescription("Every run ended so far, counted by result, with the rows they read and wrote.")
    private RunTotals totals;
    @JsonPropertyDescription("The last runs that ended, newest first (at most 10), kept after their Jobs are pruned.")
    private List<LastRun> lastRuns;
    @JsonPropertyDescription("FAILED runs in a row for the request being handled (a runRequest or a schedule tick): spec.runRetry retries "
            + "while it is at most spec.runRetry.limit. Cleared by a success or a new request.")
    private Integer failedAttempts;

    public Phase getPhase() {
        return phase;
    }

    public void setPhase(Phase phase) {
        this.phase = phase;
    }

    public Long getObservedGeneration() {
        return observedGeneration;
    }

    public void setObservedGeneration(Long observedGeneration) {
        this.observedGeneration = observedGeneration;
    }

    public List<Condition> getConditions() {
        return conditions;
    }

    public void setConditions(List<Condition> conditions) {
        this.conditions = conditions == null ? new ArrayList<>() : conditions;
    }

    public LastRun getLastRun() {
        return lastRun;
    }

    public void setLastRun(LastRun lastRun) {
        this.lastRun = lastRun;
    }

    public CurrentRun getCurrentRun() {
        return currentRun;
    }

    public void setCurrentRun(CurrentRun currentRun) {
        this.currentRun = currentRun;
    }

    public Long getRunCount() {
        return runCount;
    }

    public void setRunCount(Long runCount) {
        this.runCount = runCount;
    }

    public String getHandledRunRequest() {
        return handledRunRequest;
    }

    public void setHandledRunRequest(String handledRunRequest) {
        this.handledRunRequest = handledRunRequest;
    }

    public String getLastScheduledTime() {
        return lastScheduledTime;
    }

    public void setLastScheduledTime(String lastScheduledTime) {
        this.lastScheduledTime = lastScheduledTime;
    }

    public String getNextScheduledTime() {
        return nextScheduledTime;
    }

    public void setNextScheduledTime(String nextScheduledTime) {
        this.nextScheduledTime = nextScheduledTime;
    }

    public String getLastSuccessfulTime() {
        return lastSuccessfulTime;
    }

    public void setLastSuccessfulTime(String lastSuccessfulTime) {
        this.lastSuccessfulTime = lastSuccessfulTime;
    }

    public List<LastRun> getLastRuns() {
        return lastRuns;
    }

    public void setLastRuns(List<LastRun> lastRuns) {
        this.lastRuns = lastRuns;
    }

    public Integer getFailedAttempts() {
        return failedAttempts;
    }

    public void setFailedAttempts(Integer failedAttempts) {
        this.failedAttempts = failedAttempts;
    }

    public RunTotals getTotals() {
        return totals;
    }

    public void setTotals(RunTotals totals) {
        this.totals = totals;
    }

    public Map<String, String> getCheckpoint() {
        return checkpoint;
    }

    public void setCheckpoint(Map<String, String> checkpoint) {
        this.checkpoint = checkpoint;
    }
}
