package dev.platform.etl.kubectl;

import java.io.PrintWriter;
import java.time.Duration;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** A verb that changes a pipeline's spec and may wait for the outcome: run, pause, resume. */
abstract class SpecCommand {
    @ParentCommand
    KubectlEtl etl;
    @Spec
    CommandSpec spec;
    @Parameters(paramLabel = "NAME", description = "the pipeline")
    String name;
    @Option(names = "--wait", description = "wait for the outcome")
    boolean await;
    @Option(names = "--timeout", description = "how long --wait waits, e.g. 90s, 10m, 2h (default: 1h for run, 10m for pause and resume)",
            converter = DurationOption.class)
    Duration timeout;

    Duration timeout(Duration otherwise) {
        return timeout != null ? timeout : otherwise;
    }

    void say(String line) {
        PrintWriter out = spec.commandLine().getOut();
        out.println(line);
        out.flush();
    }
}
