package dev.platform.etl.api.spec;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

@JsonInclude(JsonInclude.Include.NON_NULL)
public class SourceSpec {
    @JsonPropertyDescription("The source PostgreSQL database, by secretRef. It is only ever read, in read-only transactions.")
    private PostgresConnection postgres;

    public PostgresConnection getPostgres() {
        return postgres;
    }

    public void setPostgres(PostgresConnection postgres) {
        this.postgres = postgres;
    }
}
