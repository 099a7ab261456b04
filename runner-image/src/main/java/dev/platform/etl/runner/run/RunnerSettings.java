package dev.platform.etl.runner.run;

import dev.platform.etl.api.validation.Allowlist;
import dev.platform.etl.runner.range.LoadRange;
import dev.platform.etl.runner.redact.Redaction;
import java.time.Duration;

/**
 * How one runner process runs a pipeline.
 *
 * @param runId          the run this attempt belongs to (the operator's run, or a generated id)
 * @param holder         this process's identity in the lease
 * @param leaseTtl       how long the lease lasts without a heartbeat
 * @param heartbeat      how often the lease is renewed
 * @param controlDbUrl   a JDBC URL overriding where the control schema lives, or null
 * @param range          the one range of a parallel full load to read, or null for the whole read
 * @param redaction      what masks the Secrets' values in every message the run records or prints
 */
public record RunnerSettings(Allowlist allowlist, String runId, String holder, Duration leaseTtl, Duration heartbeat,
                             String controlDbUrl, LoadRange range, Redaction redaction) {
}
