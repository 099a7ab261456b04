package dev.platform.etl.api.validation;

import dev.platform.etl.api.Durations;
import dev.platform.etl.api.EtlPipeline;
import dev.platform.etl.api.Identifiers;
import dev.platform.etl.api.spec.ElasticsearchTarget;
import dev.platform.etl.api.spec.EtlPipelineSpec;
import dev.platform.etl.api.spec.IncrementalSpec;
import dev.platform.etl.api.spec.Mode;
import dev.platform.etl.api.spec.PostgresTarget;
import dev.platform.etl.api.spec.RetrySpec;
import dev.platform.etl.api.spec.RunRetrySpec;
import dev.platform.etl.api.spec.TargetSpec;
import dev.platform.etl.api.spec.TaskSpec;
import dev.platform.etl.api.spec.TransformTask;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Checks a pipeline before anything runs: structure, Tasks v1, identifiers and the allowlist. The
 * same rules run in the operator and in the runner; checks that need the reader's output columns
 * happen in the runner, against the source.
 */
public final class PipelineValidator {
    private static final int MAX_BATCH_SIZE = 100_000;
    /** PostgreSQL's statement_timeout is a number of milliseconds in an int. */
    private static final Duration MAX_STATEMENT_TIMEOUT = Duration.ofMillis(Integer.MAX_VALUE);
    /** Kubernetes object names: a namespace is a DNS label, a name a DNS subdomain; neither can hold '/' or '#'. */
    private static final Pattern NAMESPACE = Pattern.compile("[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?");
    private static final Pattern NAME = Pattern.compile("[a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?");
    private final Allowlist allowlist;

    public PipelineValidator(Allowlist allowlist) {
        this.allowlist = allowlist;
    }

    public List<Violation> validate(EtlPipeline pipeline) {
        List<Violation> violations = new ArrayList<>();
        checkIdentity(pipeline, violations);
        EtlPipelineSpec spec = pipeline.getSpec();
        if (spec == null) {
            violations.add(new Violation("spec", "is required"));
            return violations;
        }
        if (spec.getMode() == null) {
            violations.add(new Violation("spec.mode", "is required: Full or Incremental"));
        }
        if (spec.getBatchSize() == null || spec.getBatchSize() < 1 || spec.getBatchSize() > MAX_BATCH_SIZE) {
            violations.add(new Violation("spec.batchSize", "must be between 1 and " + MAX_BATCH_SIZE));
        }
        if (spec.getSource() == null || spec.getSource().getPostgres() == null
                || isBlank(spec.getSource().getPostgres().getSecretRef())) {
            violations.add(new Violation("spec.source.postgres.secretRef", "is required"));
        }
        if (spec.getControl() != null
                && (spec.getControl().getPostgres() == null || isBlank(spec.getControl().getPostgres().getSecretRef()))) {
            violations.add(new Violation("spec.control.postgres.secretRef", "is required when spec.control is given"));
        }
        checkTasks(spec.getTasks(), violations);
        checkIncremental(spec.getMode(), spec.getIncremental(), violations);
        checkRetry(spec.getRetry(), violations);
        checkRunRetry(spec.getRunRetry(), violations);
        checkTarget(spec, violations);
        checkParallelism(spec, violations);
        return violations;
    }

    /**
     * The pipeline's key in the control schema is {@code namespace/name}, and a range's adds
     * {@code #index}: names as Kubernetes allows them keep every key apart.
     */
    private static void checkIdentity(EtlPipeline pipeline, List<Violation> violations) {
        if (pipeline.getMetadata() == null) {
            return;
        }
        String namespace = pipeline.getMetadata().getNamespace();
        String name = pipeline.getMetadata().getName();
        if (namespace != null && !NAMESPACE.matcher(namespace).matches()) {
            violations.add(new Violation("metadata.namespace", "'" + namespace
                    + "' is not a Kubernetes namespace name (lowercase letters, digits and '-', at most 63)"));
        }
        if (name != null && !NAME.matcher(name).matches()) {
            violations.add(new Violation("metadata.name", "'" + name
                    + "' is not a Kubernetes object name (lowercase letters, digits, '-' and '.', at most 253)"));
        }
    }

    private void checkTasks(List<TaskSpec> tasks, List<Violation> violations) {
        if (tasks.isEmpty()) {
            violations.add(new Violation("spec.tasks", "must start with a sqlReader task"));
            return;
        }
        if (tasks.size() > EtlPipelineSpec.MAX_TASKS) {
            violations.add(new Violation("spec.tasks", "has " + tasks.size() + " tasks; at most " + EtlPipelineSpec.MAX_TASKS + " are allowed"));
        }
        for (int i = 0; i < tasks.size(); i++) {
            TaskSpec task = tasks.get(i);
            String field = "spec.tasks[" + i + "]";
            if (task == null) {
                violations.add(new Violation(field, "is empty"));
                continue;
            }
            boolean reader = task.getSqlReader() != null;
            boolean transform = task.getTransform() != null;
            if (reader == transform) {
                violations.add(new Violation(field, "must have exactly one of sqlReader or transform"));
            }
            if (i == 0 && !reader) {
                violations.add(new Violation(field, "the first task must be a sqlReader"));
            }
            if (i > 0 && reader) {
                violations.add(new Violation(field + ".sqlReader", "only the first task may be a sqlReader"));
            }
            if (reader) {
                checkReader(field + ".sqlReader", task, violations);
            }
            if (transform) {
                checkTransform(field + ".transform", task.getTransform(), violations);
            }
            if (task.getTarget() != null && i != tasks.size() - 1) {
                violations.add(new Violation(field + ".target", "a target override is allowed only on the last task"));
            }
        }
    }

    private static void checkReader(String field, TaskSpec task, List<Violation> violations) {
        if (isBlank(task.getSqlReader().getQuery())) {
            violations.add(new Violation(field + ".query", "is required"));
        }
        String timeout = task.getSqlReader().getStatementTimeout();
        if (timeout != null && (!Durations.isPositive(timeout) || Durations.parse(timeout).compareTo(MAX_STATEMENT_TIMEOUT) > 0)) {
            violations.add(new Violation(field + ".statementTimeout", "'" + timeout + "' is not a duration such as 30s or 5m, "
                    + "more than 0 and at most " + MAX_STATEMENT_TIMEOUT.toMillis() + "ms (PostgreSQL's limit)"));
        }
    }

    private static void checkTransform(String field, TransformTask transform, List<Violation> violations) {
        transform.getRename().forEach((from, to) -> {
            requireName(field + ".rename." + from, from, violations);
            requireName(field + ".rename." + from, to, violations);
        });
        for (int i = 0; i < transform.getDrop().size(); i++) {
            requireName(field + ".drop[" + i + "]", transform.getDrop().get(i), violations);
        }
        transform.getSet().keySet().forEach(column -> requireName(field + ".set." + column, column, violations));
    }

    private static void checkIncremental(Mode mode, IncrementalSpec incremental, List<Violation> violations) {
        if (incremental == null) {
            if (mode == Mode.Incremental) {
                violations.add(new Violation("spec.incremental", "is required when spec.mode is Incremental"));
            }
            return;
        }
        if (mode == Mode.Incremental) {
            if (isBlank(incremental.getCursorColumn())) {
                violations.add(new Violation("spec.incremental.cursorColumn", "is required when spec.mode is Incremental"));
            }
            if (isBlank(incremental.getTieBreakerColumn())) {
                violations.add(new Violation("spec.incremental.tieBreakerColumn", "is required when spec.mode is Incremental"));
            }
        } else if (isBlank(incremental.getTieBreakerColumn())) {
            violations.add(new Violation("spec.incremental.tieBreakerColumn",
                    "is required for a resumable Full load (or remove spec.incremental)"));
        }
        if (!isBlank(incremental.getCursorColumn())) {
            requireName("spec.incremental.cursorColumn", incremental.getCursorColumn(), violations);
        }
        if (!isBlank(incremental.getTieBreakerColumn())) {
            requireName("spec.incremental.tieBreakerColumn", incremental.getTieBreakerColumn(), violations);
        }
        if (!isBlank(incremental.getDeletedColumn())) {
            if (mode == Mode.Incremental) {
                requireName("spec.incremental.deletedColumn", incremental.getDeletedColumn(), violations);
            } else {
                violations.add(new Violation("spec.incremental.deletedColumn", "only in Incremental mode: a Full run reads every "
                        + "row the source holds, and has no deleted rows to find"));
            }
        }
        if (incremental.getLag() != null && !Durations.isValid(incremental.getLag())) {
            violations.add(new Violation("spec.incremental.lag", "'" + incremental.getLag() + "' is not a duration such as 30s or 5m"));
        }
    }

    private static void checkRetry(RetrySpec retry, List<Violation> violations) {
        if (retry.getMaxAttempts() == null || retry.getMaxAttempts() < 1) {
            violations.add(new Violation("spec.retry.maxAttempts", "must be at least 1"));
        }
        checkBackoff("spec.retry.initialBackoff", retry.getInitialBackoff(), "spec.retry.maxBackoff", retry.getMaxBackoff(), violations);
    }

    private static void checkRunRetry(RunRetrySpec retry, List<Violation> violations) {
        if (retry.getLimit() == null || retry.getLimit() < 0 || retry.getLimit() > RunRetrySpec.MAX_LIMIT) {
            violations.add(new Violation("spec.runRetry.limit", "must be 0 to " + RunRetrySpec.MAX_LIMIT));
        }
        checkBackoff("spec.runRetry.backoff", retry.getBackoff(), "spec.runRetry.maxBackoff", retry.getMaxBackoff(), violations);
    }

    /** A first wait and a longest wait: both durations more than zero, the first no longer than the longest. */
    private static void checkBackoff(String initialField, String initial, String maxField, String max, List<Violation> violations) {
        boolean initialOk = Durations.isPositive(initial);
        boolean maxOk = Durations.isPositive(max);
        if (!initialOk) {
            violations.add(new Violation(initialField, "'" + initial + "' is not a duration such as 500ms or 1s, more than 0"));
        }
        if (!maxOk) {
            violations.add(new Violation(maxField, "'" + max + "' is not a duration such as 30s or 1m, more than 0"));
        }
        if (initialOk && maxOk && Durations.parse(initial).compareTo(Durations.parse(max)) > 0) {
            violations.add(new Violation(maxField, "must not be shorter than " + initialField));
        }
    }

    private void checkTarget(EtlPipelineSpec spec, List<Violation> violations) {
        String field = spec.effectiveTargetField();
        TargetSpec target = spec.effectiveTarget();
        if (target == null) {
            violations.add(new Violation("spec.target", "is required (or a target override on the last task)"));
            return;
        }
        if ((target.getPostgres() == null) == (target.getElasticsearch() == null)) {
            violations.add(new Violation(field, "must have exactly one of postgres or elasticsearch"));
            return;
        }
        if (target.getPostgres() != null) {
            checkPostgresTarget(field + ".postgres", target.getPostgres(), violations);
            if (target.getPostgres().deletesMissing() && spec.getMode() != Mode.Full) {
                violations.add(new Violation(field + ".postgres.deleteMissing", "only in Full mode, which reads every row the source holds "
                        + "(Incremental mode deletes with spec.incremental.deletedColumn)"));
            }
        } else {
            checkElasticsearchTarget(field + ".elasticsearch", target.getElasticsearch(), violations);
            if (target.getElasticsearch().getAlias() != null && spec.getMode() != Mode.Full) {
                violations.add(new Violation(field + ".elasticsearch.alias", "only in Full mode, which loads a whole index "
                        + "(Incremental mode writes into an index in place)"));
            }
        }
    }

    /**
     * More than one range needs a Full load with a tie-breaker to split by, and a target that every
     * range can write on its own: a load that deletes what it did not read, or swaps an alias, is
     * completed as a whole and stays single-range for now.
     */
    private static void checkParallelism(EtlPipelineSpec spec, List<Violation> violations) {
        Integer parallelism = spec.getParallelism();
        if (parallelism == null || parallelism == 1) {
            return;
        }
        if (parallelism < 1 || parallelism > EtlPipelineSpec.MAX_PARALLELISM) {
            violations.add(new Violation("spec.parallelism", "must be between 1 and " + EtlPipelineSpec.MAX_PARALLELISM));
            return;
        }
        if (spec.getMode() != Mode.Full || spec.getIncremental() == null || isBlank(spec.getIncremental().getTieBreakerColumn())) {
            violations.add(new Violation("spec.parallelism", "more than 1 needs mode Full and spec.incremental.tieBreakerColumn, "
                    + "whose values split the read into ranges (Incremental mode runs as one range)"));
            return;
        }
        TargetSpec target = spec.effectiveTarget();
        if (target != null && target.getPostgres() != null && target.getPostgres().deletesMissing()) {
            violations.add(new Violation("spec.parallelism", "more than 1 cannot be combined with deleteMissing yet: "
                    + "that load completes as a whole; use parallelism 1"));
        }
        if (target != null && target.getElasticsearch() != null && target.getElasticsearch().getAlias() != null) {
            violations.add(new Violation("spec.parallelism", "more than 1 cannot be combined with an Elasticsearch alias yet: "
                    + "that load completes as a whole; use parallelism 1"));
        }
    }

    private void checkPostgresTarget(String field, PostgresTarget target, List<Violation> violations) {
        if (isBlank(target.getSecretRef())) {
            violations.add(new Violation(field + ".secretRef", "is required"));
        }
        if (!Identifiers.isQualifiedTable(target.getTable())) {
            violations.add(new Violation(field + ".table", "must be a schema-qualified table name such as analytics.film_dim"));
        } else if (!allowlist.allowsTable(target.getTable())) {
            violations.add(new Violation(field + ".table", "'" + target.getTable()
                    + "' is not in the allowlist of writable tables (the chart's allowlist.postgresTables, " + Allowlist.POSTGRES_TABLES_ENV + ")"));
        }
        if (target.getKeyColumns().isEmpty()) {
            violations.add(new Violation(field + ".keyColumns", "must name at least one column"));
        }
        for (int i = 0; i < target.getKeyColumns().size(); i++) {
            requireName(field + ".keyColumns[" + i + "]", target.getKeyColumns().get(i), violations);
        }
    }

    private void checkElasticsearchTarget(String field, ElasticsearchTarget target, List<Violation> violations) {
        if (isBlank(target.getSecretRef())) {
            violations.add(new Violation(field + ".secretRef", "is required"));
        }
        String written = target.getAlias() != null ? field + ".alias" : field + ".index";
        if (target.getAlias() != null && target.getIndex() != null) {
            violations.add(new Violation(field, "set index or alias, not both"));
        } else if (!Identifiers.isIndexName(target.writtenName())) {
            violations.add(new Violation(written, "must be a lowercase Elasticsearch index name"));
        } else if (!allowlist.allowsIndex(target.writtenName())) {
            violations.add(new Violation(written, "'" + target.writtenName()
                    + "' is not in the allowlist of writable indices (the chart's allowlist.elasticsearchIndices, "
                    + Allowlist.ELASTICSEARCH_INDICES_ENV + ")"));
        }
        if (isBlank(target.getIdColumn())) {
            violations.add(new Violation(field + ".idColumn", "is required"));
        } else {
            requireName(field + ".idColumn", target.getIdColumn(), violations);
        }
    }

    private static void requireName(String field, String name, List<Violation> violations) {
        if (!Identifiers.isName(name)) {
            violations.add(new Violation(field, "'" + name + "' is not a plain SQL identifier (letters, digits, _; at most 63)"));
        }
    }

    private static boolean isBlank(String s) {
        return s == null || s.isBlank();
    }
}
