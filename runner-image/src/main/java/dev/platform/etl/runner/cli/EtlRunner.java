package dev.platform.etl.runner.cli;

import dev.platform.etl.api.pod.LogSettings;
import dev.platform.etl.runner.redact.Redaction;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The runner's command line: the image's entrypoint and a local tool. */
@Command(name = "etl-runner",
        mixinStandardHelpOptions = true,
        version = "etl-runner 0.1.0",
        description = "Runs EtlPipeline resources from PostgreSQL into PostgreSQL or Elasticsearch.",
        subcommands = {RunCommand.class, PauseCommand.class, ResumeCommand.class, StatusCommand.class},
        exitCodeListHeading = "%nExit codes of run:%n",
        exitCodeList = {"0:SUCCEEDED or PAUSED", "1:FAILED", "2:INVALID (nothing touched)", "3:SKIPPED (running elsewhere)",
                "143:PAUSED by SIGTERM, or the batch in flight abandoned after the grace period"})
public final class EtlRunner implements Runnable {
    private final Map<String, String> environment;
    private final boolean handleSignals;
    private final Redaction redaction;

    /**
     * @param environment   where the allowlist and defaults come from (the process environment in production)
     * @param handleSignals whether SIGTERM pauses the run (only when this is the process's main program)
     * @param redaction     what masks the Secrets' values in every output
     */
    public EtlRunner(Map<String, String> environment, boolean handleSignals, Redaction redaction) {
        this.environment = environment;
        this.handleSignals = handleSignals;
        this.redaction = redaction;
    }

    public EtlRunner(Map<String, String> environment, boolean handleSignals) {
        this(environment, handleSignals, new Redaction());
    }

    /**
     * The process's stdout and stderr pass the redaction, whoever writes to them: the runner, its
     * libraries, the JVM. The log settings are checked first, as logback would take a misspelt one silently.
     */
    public static void main(String[] args) {
        try {
            LogSettings.fromEnvironment(System.getenv(), "ETL_");
        } catch (IllegalArgumentException e) {
            System.err.println("etl-runner: " + e.getMessage() + "; nothing was run");
            System.exit(2);
        }
        Redaction redaction = new Redaction();
        System.setOut(redaction.redacting(new FileOutputStream(FileDescriptor.out)));
        System.setErr(redaction.redacting(new FileOutputStream(FileDescriptor.err)));
        System.exit(new EtlRunner(System.getenv(), true, redaction).commandLine().execute(args));
    }

    public CommandLine commandLine() {
        return new CommandLine(this).setCaseInsensitiveEnumValuesAllowed(true);
    }

    Map<String, String> environment() {
        return environment;
    }

    Redaction redaction() {
        return redaction;
    }

    boolean handleSignals() {
        return handleSignals;
    }

    @Override
    public void run() {
        throw new CommandLine.ParameterException(new CommandLine(this), "name a command: run, pause, resume or status");
    }
}
