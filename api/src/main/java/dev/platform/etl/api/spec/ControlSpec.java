package dev.platform.etl.api.spec;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

@JsonInclude(JsonInclude.Include.NON_NULL)
public class ControlSpec {
    @JsonPropertyDescription("The PostgreSQL database that holds the control schema etl (lease, checkpoints, runs), by secretRef. Default: the target database for PostgreSQL targets, otherwise the source database.")
    private PostgresConnection postgres;

    public PostgresConnection getPostgres() {
        return postgres;
    }

    public void setPostgres(PostgresConnection postgres) {
        this.postgres = postgres;
    }
}
