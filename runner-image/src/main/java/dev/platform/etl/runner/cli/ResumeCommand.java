package dev.platform.etl.runner.cli;

import dev.platform.etl.runner.control.ControlStore;
import picocli.CommandLine.Command;

@Command(name = "resume", description = "Clears a pause request; the next run continues from the checkpoint.")
final class ResumeCommand extends ControlCommand {
    @Override
    Object apply(ControlStore control, String pipeline) throws Exception {
        control.requestPause(pipeline, false);
        return new PauseFlag(pipeline, false);
    }
}
