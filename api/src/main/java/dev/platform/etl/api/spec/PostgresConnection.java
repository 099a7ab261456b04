package dev.platform.etl.api.spec;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/** A PostgreSQL connection whose Secret (in the pipeline's namespace) holds jdbcUrl, username and password. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class PostgresConnection {
    @JsonPropertyDescription("A Secret in the pipeline's namespace with the keys jdbcUrl, username and password.")
    private String secretRef;

    public PostgresConnection() {
    }

    public PostgresConnection(String secretRef) {
        this.secretRef = secretRef;
    }

    public String getSecretRef() {
        return secretRef;
    }

    public void setSecretRef(String secretRef) {
        this.secretRef = secretRef;
    }
}
