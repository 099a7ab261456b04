package dev.platform.etl.api.status;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.fabric8.kubernetes.api.model.Condition;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

@JsonInclude(JsonInclude.Include.NON_NULL)
public class EtlPipelineStatus {
    private Phase phase;
    private Long observedGeneration;
    private List<Condition> conditions = new ArrayList<>();
    private LastRun lastRun;
    /** A mirror of the checkpoint; PostgreSQL holds the truth. */
    private Map<String, String> checkpoint;

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

    public Map<String, String> getCheckpoint() {
        return checkpoint;
    }

    public void setCheckpoint(Map<String, String> checkpoint) {
        this.checkpoint = checkpoint;
    }
}
