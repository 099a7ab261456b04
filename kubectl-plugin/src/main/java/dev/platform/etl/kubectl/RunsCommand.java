package dev.platform.etl.kubectl;

import dev.platform.etl.api.EtlPipeline;
import dev.platform.etl.api.status.CurrentRun;
import dev.platform.etl.api.status.LastRun;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

@Command(name = "runs", description = "A pipeline's runs, newest first: the one in progress, then those in status.lastRuns.")
final class RunsCommand implements Callable<Integer> {
    @ParentCommand
    KubectlEtl etl;
    @Spec
    CommandSpec spec;
    @Parameters(paramLabel = "NAME", description = "the pipeline")
    String name;

    @Override
    public Integer call() {
        try (Pipelines pipelines = etl.pipelines()) {
            EtlPipeline pipeline = pipelines.get(name);
            Instant now = Instant.now();
            Table table = new Table("RUN", "RESULT", "STARTED", "DURATION", "ROWS READ", "ROWS WRITTEN", "MESSAGE");
            CurrentRun current = pipeline.getStatus() == null ? null : pipeline.getStatus().getCurrentRun();
            if (current != null) {
                table.row(Table.or(current.getRunId()), pipeline.getStatus().getPhase().name().toUpperCase(), Table.ago(current.getRequestedAt(), now) + " ago",
                        "-", Table.or(current.getRowsRead()), Table.or(current.getRowsWritten()), Table.or(current.getProgress()));
            }
            List<LastRun> history = pipeline.getStatus() == null ? List.of() : Optional.ofNullable(pipeline.getStatus().getLastRuns()).orElse(List.of());
            for (LastRun run : history) {
                table.row(Table.or(run.getRunId()), Table.or(run.getResult()), Table.ago(run.getStartedAt(), now) + " ago",
                        run.getStartedAt() == null || run.getFinishedAt() == null ? "-"
                                : Table.duration(Duration.between(Instant.parse(run.getStartedAt()), Instant.parse(run.getFinishedAt()))),
                        Table.or(run.getRowsRead()), Table.or(run.getRowsWritten()), Table.or(run.getMessage()));
            }
            table.print(spec.commandLine().getOut());
        }
        return 0;
    }
}
