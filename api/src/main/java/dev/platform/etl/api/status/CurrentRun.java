package dev.platform.etl.api.status;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * The run the operator has decided to start or is running: written to status before its Job is
 * created, so an operator restarted in between adopts the Job instead of creating a second.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class CurrentRun {
    private Long number;
    private String job;
    private String reason;
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
