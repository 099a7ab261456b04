package dev.platform.etl.runner.control;

import dev.platform.etl.api.spec.Mode;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;

/** Creates or upgrades the schema {@code etl} with Flyway; safe when several runners start at once. */
public final class ControlSchema {
    public static final String SCHEMA = "etl";
    /** Connections a pool needs for {@link #migrate}: one holds the lock, Flyway takes up to two. */
    public static final int POOL_SIZE = 3;
    /** Serializes concurrent migrations, including the creation of the schema itself. */
    private static final long MIGRATION_LOCK = 0x45544c5f43544cL;

    private ControlSchema() {
    }

    /**
     * The column of {@code etl.pipeline_state} that holds a mode's checkpoint. Each mode has its
     * own: a Full run (say, a reload) neither overwrites nor clears the checkpoint of the
     * pipeline's Incremental runs.
     */
    public static String checkpointColumn(Mode mode) {
        return mode == Mode.Full ? "full_load_checkpoint" : "checkpoint";
    }

    public static void migrate(DataSource dataSource) throws SQLException {
        try (Connection lockHolder = dataSource.getConnection()) {
            lockHolder.setAutoCommit(true);
            try (Statement statement = lockHolder.createStatement()) {
                statement.execute("SELECT pg_advisory_lock(" + MIGRATION_LOCK + ")");
                try {
                    Flyway.configure(ControlSchema.class.getClassLoader())
                            .dataSource(dataSource)
                            .schemas(SCHEMA)
                            .defaultSchema(SCHEMA)
                            .createSchemas(true)
                            .locations("classpath:db/etl")
                            .load()
                            .migrate();
                } finally {
                    statement.execute("SELECT pg_advisory_unlock(" + MIGRATION_LOCK + ")");
                }
            }
        }
    }
}
