package dev.platform.etl.kubectl;

import dev.platform.etl.api.EtlPipeline;
import dev.platform.etl.api.status.LastRun;
import dev.platform.etl.api.status.RunResult;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "run", description = "Requests a run (a new spec.runRequest); with --wait, waits for it to end and exits 0 only if it succeeded.")
final class RunCommand extends SpecCommand implements Callable<Integer> {
    @Option(names = "--request", description = "the spec.runRequest value (default: kubectl-etl-<time>)")
    String request;

    @Override
    public Integer call() throws InterruptedException {
        String value = request != null ? request : "kubectl-etl-" + System.currentTimeMillis();
        try (Pipelines pipelines = etl.pipelines()) {
            pipelines.patchSpec(name, "{\"runRequest\":\"" + value.replace("\\", "\\\\").replace("\"", "\\\"") + "\"}");
            say("etlpipeline/" + name + " run requested (runRequest " + value + ")");
            if (!await) {
                return 0;
            }
            EtlPipeline ended = pipelines.await(name, p -> p.getStatus() != null && Objects.equals(value, p.getStatus().getHandledRunRequest()),
                    timeout(Duration.ofHours(1)), "to end its run " + value);
            LastRun last = ended.getStatus().getLastRun();
            say("run " + last.getRunId() + " " + last.getResult() + ": read " + Table.or(last.getRowsRead()) + ", wrote "
                    + Table.or(last.getRowsWritten()) + (last.getMessage() == null ? "" : " (" + last.getMessage() + ")"));
            return last.getResult() == RunResult.SUCCEEDED ? 0 : 1;
        }
    }
}
