package dev.platform.etl.kubectl;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

/**
 * {@code kubectl etl}: EtlPipelines as an operator of them needs them, from the current kubeconfig
 * context. The verbs read the pipeline's status, its Jobs, pods and Events, and request runs,
 * pauses and resumes through the spec, as {@code kubectl patch} would.
 */
@Command(name = "kubectl etl", mixinStandardHelpOptions = true, scope = ScopeType.INHERIT, version = "kubectl-etl 0.1.0",
        description = "EtlPipelines from kubectl: status, run history, runs, pauses, logs and failures.",
        subcommands = {StatusCommand.class, RunsCommand.class, RunCommand.class, PauseCommand.class, ResumeCommand.class, LogsCommand.class,
                ExplainFailureCommand.class})
public final class KubectlEtl {
    @Option(names = {"-n", "--namespace"}, scope = ScopeType.INHERIT, description = "the namespace (default: the kubeconfig context's)")
    String namespace;

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    static CommandLine commandLine() {
        return new CommandLine(new KubectlEtl()).setExecutionExceptionHandler((e, line, parsed) -> {
            line.getErr().println("error: " + describe(e));
            return e instanceof Pipelines.UsageException ? 2 : 1;
        });
    }

    /** What went wrong in one line: the API server's own message, or what stopped the request from reaching it. */
    private static String describe(Exception e) {
        if (e instanceof KubernetesClientException k && k.getStatus() != null && k.getStatus().getMessage() != null) {
            return k.getStatus().getMessage();
        }
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root == e ? e.getMessage() : e.getMessage() + ": " + root;
    }

    /** A client of the kubeconfig's current context, and the namespace the verb works in. */
    Pipelines pipelines() {
        KubernetesClient client = new KubernetesClientBuilder().build();
        return new Pipelines(client, namespace != null ? namespace : client.getNamespace() != null ? client.getNamespace() : "default");
    }
}
