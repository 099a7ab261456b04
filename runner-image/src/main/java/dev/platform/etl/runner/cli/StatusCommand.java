package dev.platform.etl.runner.cli;

import dev.platform.etl.runner.control.ControlDatabase;
import dev.platform.etl.runner.control.PipelineStatus;
import picocli.CommandLine.Command;

@Command(name = "status", description = "Prints the pipeline's checkpoint, pause flag, lease and latest run as JSON.")
final class StatusCommand extends ControlCommand {
    @Override
    Object apply(ControlDatabase control, String pipeline) throws Exception {
        return PipelineStatus.read(control, pipeline);
    }
}
