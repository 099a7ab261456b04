package dev.platform.etl.api.spec;

import com.fasterxml.jackson.annotation.JsonInclude;

@JsonInclude(JsonInclude.Include.NON_NULL)
public class ControlSpec {
    private PostgresConnection postgres;

    public PostgresConnection getPostgres() {
        return postgres;
    }

    public void setPostgres(PostgresConnection postgres) {
        this.postgres = postgres;
    }
}
