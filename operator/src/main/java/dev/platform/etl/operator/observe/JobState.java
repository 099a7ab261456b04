package dev.platform.etl.operator.observe;

/** Where a run's Job stands, as observed. */
public enum JobState {
    /** No such Job: not created yet (or deleted). */
    MISSING,
    /** Running or about to. */
    ACTIVE,
    /** Not suspended, yet its Job has created no pod for a while: the Job controller cannot create it. */
    NO_POD,
    /** Its pod exists, but the kubelet cannot start the runner's container (e.g. CreateContainerConfigError, ImagePullBackOff). */
    POD_CANNOT_START,
    /** Suspended, its pod still finishing the batch in flight. */
    STOPPING,
    /** Suspended, no pod left: the runner has paused. */
    SUSPENDED,
    SUCCEEDED,
    FAILED;

    public boolean finished() {
        return this == SUCCEEDED || this == FAILED;
    }
}
