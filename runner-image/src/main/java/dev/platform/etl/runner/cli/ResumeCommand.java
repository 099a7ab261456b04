package dev.platform.etl.runner.cli;

import dev.platform.etl.runner.control.ControlDatabase;
import dev.platform.etl.runner.control.PauseRequests;
import picocli.CommandLine.Command;

@Command(name = "resume", description = "Clears a pause request; the next run continues from the checkpoint.")
final class ResumeCommand extends ControlCommand {
    @Override
    Object apply(ControlDatabase control, String pipeline) throws Exception {
        PauseRequests.set(control, pipeline, false);
        return new PauseFlag(pipeline, false);
    }
}
