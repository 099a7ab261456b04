package dev.platform.etl.api.spec;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/** Exponential backoff with jitter for transient failures; a batch is retried whole. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class RetrySpec {
    public static final int DEFAULT_MAX_ATTEMPTS = 6;
    public static final String DEFAULT_INITIAL_BACKOFF = "1s";
    public static final String DEFAULT_MAX_BACKOFF = "30s";

    @JsonPropertyDescription("Attempts per batch or step before the run fails, the first included. Default 6.")

    private Integer maxAttempts = DEFAULT_MAX_ATTEMPTS;
    @JsonPropertyDescription("The wait before the first retry (a duration such as 1s); each retry doubles it, with jitter.")
    private String initialBackoff = DEFAULT_INITIAL_BACKOFF;
    @JsonPropertyDescription("The longest wait between attempts (a duration such as 30s).")
    private String maxBackoff = DEFAULT_MAX_BACKOFF;

    public Integer getMaxAttempts() {
        return maxAttempts;
    }

    public void setMaxAttempts(Integer maxAttempts) {
        this.maxAttempts = maxAttempts;
    }

    public String getInitialBackoff() {
        return initialBackoff;
    }

    public void setInitialBackoff(String initialBackoff) {
        this.initialBackoff = initialBackoff;
    }

    public String getMaxBackoff() {
        return maxBackoff;
    }

    public void setMaxBackoff(String maxBackoff) {
        this.maxBackoff = maxBackoff;
    }
}
