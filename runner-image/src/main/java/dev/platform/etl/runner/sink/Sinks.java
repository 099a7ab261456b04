package dev.platform.etl.runner.sink;

import dev.platform.etl.api.spec.PostgresTarget;
import dev.platform.etl.api.spec.TargetSpec;
import dev.platform.etl.runner.connect.Connections;
import dev.platform.etl.runner.source.Column;
import java.io.IOException;
import java.sql.SQLException;
import java.util.List;

/** Builds the sink for a pipeline's effective target. */
public final class Sinks {
    private Sinks() {
    }

    /** @param columns the rows' columns, with the type of their values */
    public static Sink forTarget(String pipeline, TargetSpec target, Connections connections, List<Column> columns, boolean softDeletes)
            throws SQLException, IOException {
        PostgresTarget postgres = target.getPostgres();
        if (postgres != null) {
            return new PostgresSink(connections.target(), connections.targetIsControl(), postgres, columns, softDeletes, pipeline);
        }
        ElasticsearchSink sink = new ElasticsearchSink(connections.elasticsearch().client(), target.getElasticsearch(),
                columns.stream().map(Column::name).toList(), connections.control(), pipeline);
        try {
            sink.checkTarget();
        } catch (IOException | RuntimeException e) {
            sink.close();
            throw e;
        }
        return sink;
    }
}
