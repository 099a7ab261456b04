package dev.platform.etl.runner.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * docs/reference/runner-cli.md is the runner's help, generated from its picocli commands: each
 * command's usage as {@code --help} prints it. {@code make docs} runs this test with
 * {@code -Ddocs.write=true} to rewrite it.
 */
class CliReferenceDriftTest {
    private static final Path PAGE = Path.of("..", "docs", "reference", "runner-cli.md");
    private static final int WIDTH = 100;

    @Test
    void theCliReferenceIsTheOneGeneratedFromTheCommands() throws Exception {
        String generated = render(new EtlRunner(Map.of(), false).commandLine());
        if (Boolean.getBoolean("docs.write")) {
            Files.createDirectories(PAGE.getParent());
            Files.writeString(PAGE, generated);
        }

        assertThat(Files.exists(PAGE) ? Files.readString(PAGE) : "").as("docs/reference/runner-cli.md is out of date: run `make docs`")
                .isEqualTo(generated);
        assertThat(generated).contains("## etl-runner run", "--lease-ttl=DURATION");
    }

    private static String render(CommandLine root) {
        StringBuilder page = new StringBuilder("""
                # etl-runner command line

                The runner's own help (`etl-runner --help`, `etl-runner run --help`), generated from its commands
                by `make docs`; a test fails when this page is out of date. How a run reports and exits, and
                what each exit code means: [the runner's output](runner-output.md#exit-codes).
                """);
        section(page, "etl-runner", root);
        root.getSubcommands().forEach((name, command) -> section(page, "etl-runner " + name, command));
        return page.toString();
    }

    private static void section(StringBuilder page, String title, CommandLine command) {
        command.setUsageHelpAutoWidth(false).setUsageHelpWidth(WIDTH);
        page.append("\n## ").append(title).append("\n\n```text\n").append(command.getUsageMessage(CommandLine.Help.Ansi.OFF).stripTrailing())
                .append("\n```\n");
    }
}
