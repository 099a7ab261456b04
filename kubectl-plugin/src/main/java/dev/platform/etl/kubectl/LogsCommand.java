package dev.platform.etl.kubectl;

import dev.platform.etl.api.EtlPipeline;
import io.fabric8.kubernetes.api.model.Pod;
import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

@Command(name = "logs", description = "The logs of the current run's pods (else the last run's), each under its pod's name.")
final class LogsCommand implements Callable<Integer> {
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
            String job = Pipelines.currentOrLastJob(pipeline);
            List<Pod> pods = job == null ? List.of() : pipelines.podsOf(job);
            if (pods.isEmpty()) {
                out.println(job == null ? "etlpipeline/" + name + " has not run yet" : "no pod of Job " + job + " is left (the Job keeps them while it is kept)");
            }
            for (Pod pod : pods) {
                out.println("==> pod " + pod.getMetadata().getName() + " (Job " + job + ") <==");
                out.println(pipelines.log(pod).stripTrailing());
            }
            out.flush();
        }
        return 0;
    }
}
