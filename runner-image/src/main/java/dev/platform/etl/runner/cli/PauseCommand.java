package dev.platform.etl.runner.cli;

import dev.platform.etl.runner.control.ControlDatabase;
import dev.platform.etl.runner.control.PauseRequests;
import picocli.CommandLine.Command;

@Command(name = "pause", description = "Asks the running run to pause after the batch in flight; new runs pause at once until resume.")
final class PauseCommand extends ControlCommand {
    @Override
    Object apply(ControlDatabase control, String pipeline) throws Exception {
        PauseRequests.set(control, pipeline, true);
        return new PauseFlag(pipeline, true);
    }
}
