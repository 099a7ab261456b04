package dev.platform.etl.runner.cli;

/** What pause and resume print. */
record PauseFlag(String pipeline, boolean pauseRequested) {
}
