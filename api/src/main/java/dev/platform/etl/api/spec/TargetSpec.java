package dev.platform.etl.api.spec;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.ValidationRule;

/** Exactly one of {@code postgres} or {@code elasticsearch}. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(value = "has(self.postgres) != has(self.elasticsearch)", message = "a target has exactly one of postgres or elasticsearch")
public class TargetSpec {
    @JsonPropertyDescription("Upsert into a PostgreSQL table on its key columns.")
    private PostgresTarget postgres;
    @JsonPropertyDescription("Bulk-index into an Elasticsearch index, the document _id taken from idColumn.")
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
