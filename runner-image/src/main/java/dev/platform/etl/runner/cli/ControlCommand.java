package dev.platform.etl.runner.cli;

import com.zaxxer.hikari.HikariDataSource;
import dev.platform.etl.api.EtlPipeline;
import dev.platform.etl.runner.connect.PostgresEndpoint;
import dev.platform.etl.runner.control.ControlDatabase;
import dev.platform.etl.runner.control.ControlSchema;
import dev.platform.etl.runner.retry.ErrorClassifier;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** What pause, resume and status share: a pipeline name and the control database. */
abstract class ControlCommand implements Callable<Integer> {
    private static final Duration IDLE_IN_TRANSACTION = Duration.ofMinutes(1);

    @Spec
    CommandSpec command;

    @Option(names = "--pipeline", required = true, paramLabel = "NAMESPACE/NAME", description = "the pipeline")
    String pipeline;

    @Option(names = "--control-db", required = true, paramLabel = "JDBC_URL",
            description = "the database that holds the control schema (credentials as user= and password= parameters)")
    String controlDb;

    @Override
    public Integer call() {
        try (HikariDataSource pool = PostgresEndpoint.fromUrl(controlDb).writerPool("etl-control-cli", ControlSchema.POOL_SIZE,
                IDLE_IN_TRANSACTION)) {
            ControlSchema.migrate(pool);
            Object result = apply(new ControlDatabase(pool), qualifiedName());
            command.commandLine().getOut().println(Json.line(result));
            return 0;
        } catch (Exception e) {
            command.commandLine().getErr().println(command.name() + " failed: " + ErrorClassifier.describe(e));
            return 1;
        }
    }

    abstract Object apply(ControlDatabase control, String pipeline) throws Exception;

    private String qualifiedName() {
        return pipeline.contains("/") ? pipeline : EtlPipeline.DEFAULT_NAMESPACE + "/" + pipeline;
    }
}
