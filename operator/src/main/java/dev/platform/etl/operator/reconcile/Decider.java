package dev.platform.etl.operator.reconcile;

import dev.platform.etl.api.EtlPipeline;
import dev.platform.etl.operator.observe.RunObservation;
import dev.platform.etl.operator.observe.RunObserver;
import dev.platform.etl.operator.run.RunRequests;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import java.time.Instant;
import java.util.Collection;
import java.util.Optional;

/** Chooses the next step for a pipeline from its spec, its status and what was observed; changes nothing itself. */
final class Decider {
    private final RunObserver observer;
    private final RunRequests requests;

    Decider(RunObserver observer, RunRequests requests) {
        this.observer = observer;
        this.requests = requests;
    }

    Decision decide(EtlPipeline pipeline, boolean valid, RunObservation current, Collection<Job> runnerJobs, Instant now) {
        boolean suspend = Boolean.TRUE.equals(pipeline.getSpec().getSuspend());
        if (pipeline.getStatus().getCurrentRun() != null) {
            return steer(current, valid, suspend);
        }
        if (!valid || suspend) {
            return new Decision.None();
        }
        Optional<Job> orphan = observer.unfinishedJob(runnerJobs);
        if (orphan.isPresent()) {
            return new Decision.Adopt(orphan.get());
        }
        Optional<Instant> missed = requests.missedTick(pipeline, now);
        if (missed.isPresent()) {
            return new Decision.SkipTick(missed.get());
        }
        return requests.pending(pipeline, now).<Decision>map(Decision.Start::new).orElseGet(Decision.None::new);
    }

    /** Drives the current run towards what the spec wants; closes it when its Job has finished. */
    private static Decision steer(RunObservation current, boolean valid, boolean suspend) {
        return switch (current.state()) {
            // a run decided before the spec became invalid is dropped rather than started; a suspended one starts on resume
            case MISSING -> !valid ? new Decision.Drop() : suspend ? new Decision.None() : new Decision.CreateJob();
            case ACTIVE, NO_POD, POD_CANNOT_START -> suspend ? new Decision.Suspend() : new Decision.None();
            case SUSPENDED, STOPPING -> suspend ? new Decision.None() : new Decision.Resume();
            case SUCCEEDED, FAILED -> new Decision.Close(current);
        };
    }
}
