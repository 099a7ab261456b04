package dev.platform.etl.api.status;

public enum Phase {
    Pending, Running, Succeeded, Failed, Paused, Suspended, Invalid
}
