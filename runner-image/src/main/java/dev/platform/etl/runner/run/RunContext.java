package dev.platform.etl.runner.run;

import dev.platform.etl.runner.control.ControlDatabase;
import dev.platform.etl.runner.retry.Retries;
import dev.platform.etl.runner.sink.Sink;
import dev.platform.etl.runner.source.PostgresSource;

/** What a run works with once it is planned: its plan, where it reads and writes, its control schema and retry policy. */
record RunContext(RunPlan plan, PostgresSource source, Sink sink, ControlDatabase control, Retries retries) {
}
