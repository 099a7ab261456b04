package dev.platform.etl.kubectl;

import dev.platform.etl.api.EtlPipeline;
import dev.platform.etl.api.status.EtlPipelineStatus;
import java.time.Instant;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

@Command(name = "status", description = "The pipelines with their phase, last result, time since their last success and progress.")
final class StatusCommand implements Callable<Integer> {
    @ParentCommand
    KubectlEtl etl;
    @Spec
    CommandSpec spec;
    @Option(names = {"-A", "--all-namespaces"}, description = "the pipelines of every namespace")
    boolean allNamespaces;

    @Override
    public Integer call() {
        try (Pipelines pipelines = etl.pipelines()) {
            Instant now = Instant.now();
            Table table = allNamespaces ? new Table("NAMESPACE", "NAME", "PHASE", "READY", "LAST RESULT", "SINCE SUCCESS", "PROGRESS")
                    : new Table("NAME", "PHASE", "READY", "LAST RESULT", "SINCE SUCCESS", "PROGRESS");
            for (EtlPipeline pipeline : pipelines.list(allNamespaces)) {
                EtlPipelineStatus status = pipeline.getStatus() == null ? new EtlPipelineStatus() : pipeline.getStatus();
                String[] cells = {pipeline.getMetadata().getName(), Table.or(status.getPhase()), condition(status, "Ready"),
                        status.getLastRun() == null ? "-" : Table.or(status.getLastRun().getResult()), Table.ago(status.getLastSuccessfulTime(), now),
                        status.getCurrentRun() == null || status.getCurrentRun().getProgress() == null ? "-" : status.getCurrentRun().getProgress()};
                if (allNamespaces) {
                    String[] wide = new String[cells.length + 1];
                    wide[0] = pipeline.getMetadata().getNamespace();
                    System.arraycopy(cells, 0, wide, 1, cells.length);
                    cells = wide;
                }
                table.row(cells);
            }
            table.print(spec.commandLine().getOut());
        }
        return 0;
    }

    static String condition(EtlPipelineStatus status, String type) {
        return status.getConditions().stream().filter(c -> type.equals(c.getType())).map(c -> c.getStatus()).findFirst().orElse("-");
    }
}
