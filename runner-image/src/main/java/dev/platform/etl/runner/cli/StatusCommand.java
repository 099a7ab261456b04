package dev.platform.etl.runner.cli;

import dev.platform.etl.runner.control.ControlStore;
import picocli.CommandLine.Command;

@Command(name = "status", description = "Prints the pipeline's checkpoint, pause flag, lease and latest run as JSON.")
final class StatusCommand extends ControlCommand {
    @Override
    Object apply(ControlStore control, String pipeline) throws Exception {
        return control.status(pipeline);
    }
}
