package dev.platform.etl.api.status;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/**
 * The run the operator has decided to start or is running: written to status before its Job is
 * created, so an operator restarted in between adopts the Job instead of creating a second.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class CurrentRun {
    @JsonPropertyDescription("The run's number, counting from 1 for this pipeline.")
    private Long number;
    @JsonPropertyDescription("The name of the Job that runs it.")
    private String job;
    @JsonPropertyDescription("Why it was started: runRequest <value>, schedule <time>, resume after pause, or adopted (a Job found without a record).")
    private String reason;
    @JsonPropertyDescription("When the operator decided to start it (RFC 3339).")
    private String requestedAt;

    public CurrentRun() {
    }

    public CurrentRun(long number, String job, String reason, String requestedAt) {
        this.number = number;
        this.job = job;
        this.reason = reason;
        this.requestedAt = requestedAt;
    }

    public Long getNumber() {
        return number;
    }

    public void setNumber(Long number) {
        this.number = number;
    }

    public String getJob() {
        return job;
    }

    public void setJob(String job) {
        this.job = job;
    }

    public String getReason() {
        return reason;
    }

    public void setReason(String reason) {
        this.reason = reason;
    }

    public String getRequestedAt() {
        return requestedAt;
    }

    public void setRequestedAt(String requestedAt) {
        this.requestedAt = requestedAt;
    }
}
