package dev.platform.etl.kubectl;

import dev.platform.etl.api.status.Phase;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

@Command(name = "pause", description = "Sets spec.suspend: a run in progress pauses after its batch in flight; with --wait, waits until it has.")
final class PauseCommand extends SpecCommand implements Callable<Integer> {
    private static final Set<Phase> PAUSED = Set.of(Phase.Paused, Phase.Suspended, Phase.Invalid);

    @Override
    public Integer call() throws InterruptedException {
        try (Pipelines pipelines = etl.pipelines()) {
            pipelines.patchSpec(name, "{\"suspend\":true}");
            if (!await) {
                say("etlpipeline/" + name + " pausing");
                return 0;
            }
            Phase phase = pipelines.await(name, p -> p.getStatus() != null && PAUSED.contains(p.getStatus().getPhase()),
                    timeout(Duration.ofMinutes(10)), "to pause").getStatus().getPhase();
            say("etlpipeline/" + name + " " + phase.name().toLowerCase());
            return 0;
        }
    }
}
