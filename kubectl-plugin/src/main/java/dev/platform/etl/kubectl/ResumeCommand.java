package dev.platform.etl.kubectl;

import dev.platform.etl.api.status.Phase;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

@Command(name = "resume", description = "Clears spec.suspend: a paused run resumes from its checkpoint; with --wait, waits until it is no longer paused.")
final class ResumeCommand extends SpecCommand implements Callable<Integer> {
    private static final Set<Phase> PAUSED = Set.of(Phase.Paused, Phase.Suspended);

    @Override
    public Integer call() throws InterruptedException {
        try (Pipelines pipelines = etl.pipelines()) {
            pipelines.patchSpec(name, "{\"suspend\":false}");
            if (!await) {
                say("etlpipeline/" + name + " resuming");
                return 0;
            }
            Phase phase = pipelines.await(name, p -> p.getStatus() != null && !PAUSED.contains(p.getStatus().getPhase()),
                    timeout(Duration.ofMinutes(10)), "to resume").getStatus().getPhase();
            say("etlpipeline/" + name + " resumed: " + phase.name().toLowerCase());
            return 0;
        }
    }
}
