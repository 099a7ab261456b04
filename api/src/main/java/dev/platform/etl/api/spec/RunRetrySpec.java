package dev.platform.etl.api.spec;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;

/**
 * Failed runs started again by the operator, after a backoff that doubles each time, as a Job's
 * backoffLimit does for its pods; when the limit is used up the pipeline is Stalled. Unlike
 * {@link RetrySpec}, which retries a batch or a step inside one run.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class RunRetrySpec {
    public static final int MAX_LIMIT = 100;
    public static final String DEFAULT_BACKOFF = "1m";
    public static final String DEFAULT_MAX_BACKOFF = "30m";

    @JsonPropertyDescription("Runs started again after a FAILED run, for the same request, before the pipeline is Stalled "
            + "(reason RepeatedFailures). 0 to " + MAX_LIMIT + "; default 0: a failed run waits for the next runRequest or schedule tick.")
    @Min(0)
    @Max(MAX_LIMIT)
    private Integer limit = 0;
    @JsonPropertyDescription("The wait after a failed run before the first retry (a duration such as 30s); each retry doubles it. Default 1m.")
    private String backoff = DEFAULT_BACKOFF;
    @JsonPropertyDescription("The longest wait before a retry (a duration such as 30m). Default 30m.")
    private String maxBackoff = DEFAULT_MAX_BACKOFF;

    public Integer getLimit() {
        return limit;
    }

    public void setLimit(Integer limit) {
        this.limit = limit;
    }

    public String getBackoff() {
        return backoff;
    }

    public void setBackoff(String backoff) {
        this.backoff = backoff;
    }

    public String getMaxBackoff() {
        return maxBackoff;
    }

    public void setMaxBackoff(String maxBackoff) {
        this.maxBackoff = maxBackoff;
    }
}
