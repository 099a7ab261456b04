package dev.platform.etl.api.status;

public enum Phase {
    Idle, Pending, Running, Succeeded, Failed, Paused, Suspended, Invalid
}
