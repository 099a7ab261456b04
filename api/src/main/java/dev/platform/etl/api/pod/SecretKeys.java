package dev.platform.etl.api.pod;

import dev.platform.etl.api.spec.EtlPipelineSpec;
import dev.platform.etl.api.spec.TargetSpec;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/** Every Secret key a pipeline's runner may read, so the operator can map each into the pod. */
public final class SecretKeys {
    private static final List<String> POSTGRES_REQUIRED = List.of("jdbcUrl");
    private static final List<String> POSTGRES_OPTIONAL = List.of("username", "password");
    private static final List<String> ELASTICSEARCH_REQUIRED = List.of("url");
    private static final List<String> ELASTICSEARCH_OPTIONAL = List.of("username", "password", "apiKey");

    /** One Secret key; an optional one may be absent from its Secret. */
    public record SecretKey(String secret, String key, boolean optional) {
    }

    private SecretKeys() {
    }

    public static List<SecretKey> of(EtlPipelineSpec spec) {
        Set<SecretKey> keys = new LinkedHashSet<>();
        postgres(keys, spec.getSource().getPostgres().getSecretRef());
        if (spec.getControl() != null) {
            postgres(keys, spec.getControl().getPostgres().getSecretRef());
        }
        TargetSpec target = spec.effectiveTarget();
        if (target.getPostgres() != null) {
            postgres(keys, target.getPostgres().getSecretRef());
        } else {
            add(keys, target.getElasticsearch().getSecretRef(), ELASTICSEARCH_REQUIRED, ELASTICSEARCH_OPTIONAL);
        }
        return new ArrayList<>(keys);
    }

    private static void postgres(Set<SecretKey> keys, String secret) {
        add(keys, secret, POSTGRES_REQUIRED, POSTGRES_OPTIONAL);
    }

    private static void add(Set<SecretKey> keys, String secret, List<String> required, List<String> optional) {
        required.forEach(key -> keys.add(new SecretKey(secret, key, false)));
        optional.forEach(key -> keys.add(new SecretKey(secret, key, true)));
    }
}
