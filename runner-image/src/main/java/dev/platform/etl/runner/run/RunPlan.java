package dev.platform.etl.runner.run;

import dev.platform.etl.api.spec.EtlPipelineSpec;
import dev.platform.etl.api.spec.IncrementalSpec;
import dev.platform.etl.api.spec.Mode;
import dev.platform.etl.api.spec.PostgresTarget;
import dev.platform.etl.api.spec.TargetSpec;
import dev.platform.etl.api.Identifiers;
import dev.platform.etl.api.validation.Violation;
import dev.platform.etl.runner.checkpoint.Checkpoint;
import dev.platform.etl.runner.source.Column;
import dev.platform.etl.runner.source.Horizon;
import dev.platform.etl.runner.source.ScanPlan;
import dev.platform.etl.runner.source.Values;
import dev.platform.etl.runner.transform.RowTransform;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * A pipeline checked against its reader's actual output: the keyset columns exist in it, the
 * transforms apply, and the target's key columns exist after them.
 */
public record RunPlan(Mode mode, List<Column> readerColumns, List<String> keyColumns, int[] keyIndexes, int deletedIndex,
                      RowTransform transform, List<Violation> violations) {

    public static RunPlan of(EtlPipelineSpec spec, List<Column> readerColumns) {
        List<Violation> violations = new ArrayList<>();
        List<String> names = readerColumns.stream().map(Column::name).toList();
        checkNames(names, violations);
        checkDistinct(names, violations);
        List<String> keyColumns = keyColumns(spec);
        for (String key : keyColumns) {
            if (!names.contains(key)) {
                String field = key.equals(spec.getIncremental().getCursorColumn())
                        ? "spec.incremental.cursorColumn" : "spec.incremental.tieBreakerColumn";
                violations.add(new Violation(field, "column '" + key + "' is not in the reader's output " + names));
            }
        }
        int deletedIndex = deletedIndex(spec, names, violations);
        RowTransform transform = RowTransform.compile(names, spec.getTasks(), deletedIndex, violations);
        checkTargetColumns(spec, transform.outputColumns(), violations);
        int[] keyIndexes = keyColumns.stream().mapToInt(names::indexOf).toArray();
        return new RunPlan(spec.getMode(), readerColumns, keyColumns, keyIndexes, deletedIndex, transform, List.copyOf(violations));
    }

    /** The reader column that marks soft-deleted rows, or -1. */
    private static int deletedIndex(EtlPipelineSpec spec, List<String> names, List<Violation> violations) {
        String deleted = spec.getMode() == Mode.Incremental && spec.getIncremental() != null ? spec.getIncremental().getDeletedColumn() : null;
        if (deleted == null || deleted.isBlank()) {
            return -1;
        }
        if (!names.contains(deleted)) {
            violations.add(new Violation("spec.incremental.deletedColumn", "column '" + deleted + "' is not in the reader's output " + names));
        }
        return names.indexOf(deleted);
    }

    /** Whether this run deletes soft-deleted rows from the target. */
    public boolean softDeletes() {
        return deletedIndex >= 0;
    }

    /** A reader row is deleted when its deleted column is non-NULL, and, for a boolean, true. */
    public boolean isDeleted(Object[] readerRow) {
        Object marker = readerRow[deletedIndex];
        return marker != null && !Boolean.FALSE.equals(marker);
    }

    /** (cursor, tie-breaker) for Incremental; (tie-breaker) for a resumable Full load; none otherwise. */
    private static List<String> keyColumns(EtlPipelineSpec spec) {
        IncrementalSpec incremental = spec.getIncremental();
        if (incremental == null) {
            return List.of();
        }
        return spec.getMode() == Mode.Incremental
                ? List.of(incremental.getCursorColumn(), incremental.getTieBreakerColumn())
                : List.of(incremental.getTieBreakerColumn());
    }

    /** PostgreSQL names an unnamed expression {@code ?column?}; such a column can be neither transformed nor written. */
    private static void checkNames(List<String> names, List<Violation> violations) {
        for (String name : names) {
            if (!Identifiers.isName(name)) {
                violations.add(new Violation("spec.tasks[0].sqlReader.query", "the output column '" + name
                        + "' has no usable name (letters, digits and _): name it with AS, e.g. SELECT 1 AS one"));
            }
        }
    }

    private static void checkDistinct(List<String> names, List<Violation> violations) {
        Set<String> seen = new HashSet<>();
        for (String name : names) {
            if (!seen.add(name)) {
                violations.add(new Violation("spec.tasks[0].sqlReader.query", "the output has more than one column named '" + name + "'"));
            }
        }
    }

    private static void checkTargetColumns(EtlPipelineSpec spec, List<String> output, List<Violation> violations) {
        TargetSpec target = spec.effectiveTarget();
        String field = spec.effectiveTargetField();
        if (target.getPostgres() != null) {
            PostgresTarget postgres = target.getPostgres();
            for (int i = 0; i < postgres.getKeyColumns().size(); i++) {
                String key = postgres.getKeyColumns().get(i);
                if (!output.contains(key)) {
                    violations.add(new Violation(field + ".postgres.keyColumns[" + i + "]",
                            "column '" + key + "' is not in the rows written " + output));
                }
            }
        }
        if (target.getElasticsearch() != null && !output.contains(target.getElasticsearch().getIdColumn())) {
            violations.add(new Violation(field + ".elasticsearch.idColumn",
                    "column '" + target.getElasticsearch().getIdColumn() + "' is not in the rows written " + output));
        }
    }

    /**
     * Whether documents are versioned by their cursor value, so that a replayed or late batch
     * never replaces a newer document: Incremental pipelines into Elasticsearch whose cursor
     * orders like a number.
     */
    public boolean versioned(EtlPipelineSpec spec) {
        return mode == Mode.Incremental && spec.effectiveTarget().getElasticsearch() != null
                && Values.VERSIONABLE_TYPES.contains(readerColumns.get(keyIndexes[0]).type());
    }

    public long versionOf(Object[] readerRow) {
        return Values.asVersion(readerRow[keyIndexes[0]]);
    }

    /** Whether late commits are guarded by the source's transaction horizon (clock-based cursors only). */
    public boolean needsHorizon() {
        return mode == Mode.Incremental && Horizon.CLOCK_TYPES.contains(readerColumns.get(keyIndexes[0]).type());
    }

    /** Where this run starts: after the stored checkpoint when it belongs to this kind of read; and where it ends. */
    public ScanPlan scan(Checkpoint stored, OffsetDateTime horizon, String upperBound) {
        Checkpoint start = stored != null && stored.mode() == mode && !keyColumns.isEmpty() ? stored : null;
        return new ScanPlan(mode, keyColumns, keyIndexes, start, horizon, upperBound);
    }
}
