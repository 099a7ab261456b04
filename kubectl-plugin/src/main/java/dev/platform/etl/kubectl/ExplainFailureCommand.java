package dev.platform.etl.kubectl;

import dev.platform.etl.api.EtlPipeline;
import dev.platform.etl.api.status.EtlPipelineStatus;
import dev.platform.etl.api.status.LastRun;
import io.fabric8.kubernetes.api.model.ContainerStateTerminated;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.Pod;
import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

@Command(name = "explain-failure", description = "Why the pipeline failed or is stuck: its last run's message, its Stalled condition, "
        + "its Warning Events and its pods' termination messages, together.")
final class ExplainFailureCommand implements Callable<Integer> {
    @ParentCommand
    KubectlEtl etl;
    @Spec
    CommandSpec spec;
    @Parameters(paramLabel = "NAME", description = "the pipeline")
    String name;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        try (Pipelines pipelines = etl.pipelines()) {
            EtlPipeline pipeline = pipelines.get(name);
            EtlPipelineStatus status = pipeline.getStatus() == null ? new EtlPipelineStatus() : pipeline.getStatus();
            out.println("etlpipeline/" + name + " in " + pipelines.namespace() + ": phase " + Table.or(status.getPhase()));
            LastRun last = status.getLastRun();
            out.println(last == null ? "last run: none yet" : "last run: " + last.getRunId() + " " + last.getResult() + " at " + last.getFinishedAt()
                    + (last.getMessage() == null ? "" : ": " + last.getMessage()));
            status.getConditions().stream().filter(c -> "Stalled".equals(c.getType()) && "True".equals(c.getStatus()))
                    .forEach(c -> out.println("stalled: " + c.getReason() + ": " + c.getMessage()));
            List<Event> warnings = pipelines.events(name).stream().filter(e -> "Warning".equals(e.getType())).toList();
            out.println(warnings.isEmpty() ? "warnings: none" : "warnings:");
            warnings.forEach(e -> out.println("  " + Table.or(e.getLastTimestamp()) + " " + e.getReason() + ": " + e.getMessage()));
            String job = Pipelines.currentOrLastJob(pipeline);
            for (Pod pod : job == null ? List.<Pod>of() : pipelines.podsOf(job)) {
                out.println("pod " + pod.getMetadata().getName() + ": " + podState(pod));
            }
            out.flush();
        }
        return 0;
    }

    private static String podState(Pod pod) {
        if (pod.getStatus() == null || pod.getStatus().getContainerStatuses() == null || pod.getStatus().getContainerStatuses().isEmpty()) {
            return Table.or(pod.getStatus() == null ? null : pod.getStatus().getPhase());
        }
        var state = pod.getStatus().getContainerStatuses().get(0).getState();
        if (state.getTerminated() != null) {
            ContainerStateTerminated ended = state.getTerminated();
            return "exited " + ended.getExitCode() + " (" + Table.or(ended.getReason()) + ")"
                    + (ended.getMessage() == null ? "" : "; termination message: " + ended.getMessage().strip());
        }
        if (state.getWaiting() != null) {
            return "waiting: " + state.getWaiting().getReason() + (state.getWaiting().getMessage() == null ? "" : ": " + state.getWaiting().getMessage());
        }
        return "running";
    }
}
