package dev.platform.etl.api.spec;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

@JsonInclude(JsonInclude.Include.NON_NULL)
public class SqlReaderTask {
    @JsonPropertyDescription("One SELECT statement whose output columns are the rows' columns. It runs as a subquery, read-only; a second statement makes the pipeline INVALID.")
    private String query;
    /** Upper bound for one read statement, e.g. "5m". */
    @JsonPropertyDescription("The longest one read statement may run (a duration such as 10m). Default 10m.")
    private String statementTimeout;

    public String getQuery() {
        return query;
    }

    public void setQuery(String query) {
        this.query = query;
    }

    public String getStatementTimeout() {
        return statementTimeout;
    }

    public void setStatementTimeout(String statementTimeout) {
        this.statementTimeout = statementTimeout;
    }
}
