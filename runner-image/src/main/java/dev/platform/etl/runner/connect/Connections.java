package dev.platform.etl.runner.connect;

import com.zaxxer.hikari.HikariDataSource;
import dev.platform.etl.api.Durations;
import dev.platform.etl.api.manifest.Secrets;
import dev.platform.etl.api.spec.EtlPipelineSpec;
import dev.platform.etl.api.spec.ElasticsearchTarget;
import dev.platform.etl.api.spec.PostgresTarget;
import dev.platform.etl.runner.control.ControlSchema;
import java.time.Duration;

/**
 * The connections of one run: PostgreSQL pools, and the Elasticsearch endpoint for such a target. The control schema lives (docs/reference/control-schema.md) in the target database
 * when the target is PostgreSQL, so a batch and its checkpoint commit in one transaction;
 * otherwise in {@code spec.control}, otherwise in the source database; {@code --control-db}
 * overrides all of these.
 */
public final class Connections implements AutoCloseable {
    private static final int SOURCE_POOL_SIZE = 2;
    private static final Duration DEFAULT_READER_TIMEOUT = Duration.ofMinutes(10);

    private final HikariDataSource source;
    private final HikariDataSource control;
    private final HikariDataSource target;
    private final ElasticsearchEndpoint elasticsearch;

    private Connections(HikariDataSource source, HikariDataSource control, HikariDataSource target, ElasticsearchEndpoint elasticsearch) {
        this.source = source;
        this.control = control;
        this.target = target;
        this.elasticsearch = elasticsearch;
    }

    /**
     * @param idleInTransaction how long a session that writes may stay idle in a transaction before
     *                          the server ends it: shorter than the lease's TTL (see {@link PostgresEndpoint#writerPool})
     */
    public static Connections open(EtlPipelineSpec spec, Secrets secrets, String controlDbUrl, Duration idleInTransaction) {
        PostgresEndpoint sourceEndpoint = PostgresEndpoint.fromSecret(secrets, spec.getSource().getPostgres().getSecretRef());
        PostgresTarget postgresTarget = spec.effectiveTarget().getPostgres();
        PostgresEndpoint targetEndpoint = postgresTarget == null ? null : PostgresEndpoint.fromSecret(secrets, postgresTarget.getSecretRef());
        PostgresEndpoint controlEndpoint = controlEndpoint(spec, secrets, controlDbUrl, sourceEndpoint, targetEndpoint);
        ElasticsearchTarget elasticsearchTarget = spec.effectiveTarget().getElasticsearch();
        ElasticsearchEndpoint elasticsearch = elasticsearchTarget == null ? null
                : ElasticsearchEndpoint.fromSecret(secrets, elasticsearchTarget.getSecretRef());

        HikariDataSource source = sourceEndpoint.readerPool("etl-source", SOURCE_POOL_SIZE, readerTimeout(spec));
        HikariDataSource control = controlEndpoint.writerPool("etl-control", ControlSchema.POOL_SIZE, idleInTransaction);
        HikariDataSource target = null;
        if (targetEndpoint != null) {
            target = targetEndpoint.equals(controlEndpoint) ? control : targetEndpoint.writerPool("etl-target", 2, idleInTransaction);
        }
        return new Connections(source, control, target, elasticsearch);
    }

    /** How long any statement of the reader may run: {@code statementTimeout}, 10 minutes by default. */
    private static Duration readerTimeout(EtlPipelineSpec spec) {
        String timeout = spec.getTasks().get(0).getSqlReader().getStatementTimeout();
        return timeout == null ? DEFAULT_READER_TIMEOUT : Durations.parse(timeout);
    }

    private static PostgresEndpoint controlEndpoint(EtlPipelineSpec spec, Secrets secrets, String controlDbUrl,
                                                    PostgresEndpoint source, PostgresEndpoint target) {
        if (controlDbUrl != null) {
            return PostgresEndpoint.fromUrl(controlDbUrl);
        }
        if (target != null) {
            return target;
        }
        if (spec.getControl() != null) {
            return PostgresEndpoint.fromSecret(secrets, spec.getControl().getPostgres().getSecretRef());
        }
        return source;
    }

    public HikariDataSource source() {
        return source;
    }

    public HikariDataSource control() {
        return control;
    }

    /** The PostgreSQL target's pool, or null when the target is not PostgreSQL. */
    public HikariDataSource target() {
        return target;
    }

    /** The Elasticsearch target's endpoint, or null when the target is not Elasticsearch. */
    public ElasticsearchEndpoint elasticsearch() {
        return elasticsearch;
    }

    /** Whether the PostgreSQL target is the control database, so a batch commits with its checkpoint. */
    public boolean targetIsControl() {
        return target == control;
    }

    /**
     * Closes every pooled connection that is idle, and every other one once it is returned: after
     * a restart or failover of PostgreSQL they are all dead, and the next attempt gets a new one.
     */
    public void evictAll() {
        for (HikariDataSource pool : new HikariDataSource[] {source, control, target}) {
            if (pool != null && pool.getHikariPoolMXBean() != null) {
                pool.getHikariPoolMXBean().softEvictConnections();
            }
        }
    }

    @Override
    public void close() {
        source.close();
        control.close();
        if (target != null && target != control) {
            target.close();
        }
    }
}
