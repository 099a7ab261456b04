package dev.platform.etl.runner.cli;

import dev.platform.etl.runner.control.ControlStore;
import picocli.CommandLine.Command;

@Command(name = "pause", description = "Asks the running run to pause after the batch in flight; new runs pause at once until resume.")
final class PauseCommand extends ControlCommand {
    @Override
    Object apply(ControlStore control, String pipeline) throws Exception {
        control.requestPause(pipeline, true);
        return new PauseFlag(pipeline, true);
    }
}
