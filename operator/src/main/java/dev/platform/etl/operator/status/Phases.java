package dev.platform.etl.operator.status;

import dev.platform.etl.api.EtlPipeline;
import dev.platform.etl.api.status.EtlPipelineStatus;
import dev.platform.etl.api.status.Phase;
import dev.platform.etl.api.status.RunResult;
import dev.platform.etl.operator.observe.JobState;

/** The phase users read in {@code kubectl get etlp}, derived from what was observed. */
final class Phases {
    private Phases() {
    }

    static Phase of(EtlPipeline pipeline, boolean valid, JobState current) {
        EtlPipelineStatus status = pipeline.getStatus();
        if (!valid) {
            return Phase.Invalid;
        }
        if (status.getCurrentRun() != null) {
            return switch (current) {
                case MISSING -> Boolean.TRUE.equals(pipeline.getSpec().getSuspend()) ? Phase.Suspended : Phase.Pending;
                case NO_POD, POD_CANNOT_START -> Phase.Pending;
                case SUSPENDED -> Phase.Paused;
                default -> Phase.Running;
            };
        }
        RunResult last = status.getLastRun() == null ? null : status.getLastRun().getResult();
        if (Boolean.TRUE.equals(pipeline.getSpec().getSuspend())) {
            return last == RunResult.PAUSED ? Phase.Paused : Phase.Suspended;
        }
        if (last == null) {
            return Phase.Idle;
        }
        return switch (last) {
            case SUCCEEDED -> Phase.Succeeded;
            case PAUSED -> Phase.Paused;
            default -> Phase.Failed;
        };
    }
}
