package dev.platform.etl.operator.reconcile;

import dev.platform.etl.operator.observe.RunObservation;
import dev.platform.etl.operator.run.RunRequests;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import java.time.Instant;

/** What one step of a reconcile does about the pipeline's run, as {@link Decider} chose it from what was observed. */
sealed interface Decision {

    /** Nothing, until something changes. */
    record None() implements Decision {
    }

    /** Record the requested run in status, then create its Job. */
    record Start(RunRequests.Request request) implements Decision {
    }

    /** Record a schedule tick that came too late to start its run (past spec.startingDeadlineSeconds) as handled, with no run. */
    record SkipTick(Instant tick) implements Decision {
    }

    /** Record a runner Job found without a record (its status was lost) as the current run. */
    record Adopt(Job orphan) implements Decision {
    }

    /** Create the recorded run's Job; one that an operator stopped in between already created is adopted. */
    record CreateJob() implements Decision {
    }

    /** Suspend the run's Job: its runner pauses after the batch in flight. */
    record Suspend() implements Decision {
    }

    /** Resume the run's Job: a new pod resumes from the checkpoint. */
    record Resume() implements Decision {
    }

    /** Record the finished run as the last one, and close it. */
    record Close(RunObservation finished) implements Decision {
    }

    /** Forget a run decided before the spec became invalid, and never started. */
    record Drop() implements Decision {
    }
}
