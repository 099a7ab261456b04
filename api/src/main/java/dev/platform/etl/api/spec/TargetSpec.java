package dev.platform.etl.api.spec;

import com.fasterxml.jackson.annotation.JsonInclude;

/** Exactly one of {@code postgres} or {@code elasticsearch}. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class TargetSpec {
    private PostgresTarget postgres;
    private ElasticsearchTarget elasticsearch;

    public PostgresTarget getPostgres() {
        return postgres;
    }

    public void setPostgres(PostgresTarget postgres) {
        this.postgres = postgres;
    }

    public ElasticsearchTarget getElasticsearch() {
        return elasticsearch;
    }

    public void setElasticsearch(ElasticsearchTarget elasticsearch) {
        this.elasticsearch = elasticsearch;
    }
}
