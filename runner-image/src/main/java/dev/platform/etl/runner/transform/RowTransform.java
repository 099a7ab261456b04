package dev.platform.etl.runner.transform;

import com.fasterxml.jackson.databind.JsonNode;
import dev.platform.etl.api.spec.TaskSpec;
import dev.platform.etl.api.spec.TransformTask;
import dev.platform.etl.api.validation.Violation;
import dev.platform.etl.runner.source.Column;
import dev.platform.etl.runner.source.JsonText;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The transform tasks of a pipeline, compiled once against the reader's output columns into a
 * plain mapping: each output column is a reader column or a constant. Applying it copies
 * references only. It never touches the reader's row, from which checkpoints are taken.
 */
public final class RowTransform {
    private final List<String> outputColumns;
    private final int[] sourceIndexes;
    private final Object[] constants;

    private RowTransform(List<Slot> slots) {
        this.outputColumns = slots.stream().map(Slot::name).toList();
        this.sourceIndexes = slots.stream().mapToInt(Slot::sourceIndex).toArray();
        this.constants = slots.stream().map(Slot::constant).toArray();
    }

    /** An output column: a reader column by position, or a constant where the position is -1. */
    private record Slot(String name, int sourceIndex, Object constant) {
        Slot renamed(String newName) {
            return new Slot(newName, sourceIndex, constant);
        }
    }

    /**
     * Compiles the transforms of {@code tasks} (the reader is task 0) for the given reader columns.
     * Problems go to {@code violations}, naming the task's field. The reader column at
     * {@code unwritten} (-1 for none) is left out of the output, whatever the transforms named it.
     */
    public static RowTransform compile(List<String> readerColumns, List<TaskSpec> tasks, int unwritten, List<Violation> violations) {
        List<Slot> slots = new ArrayList<>();
        for (int i = 0; i < readerColumns.size(); i++) {
            slots.add(new Slot(readerColumns.get(i), i, null));
        }
        for (int t = 0; t < tasks.size(); t++) {
            TransformTask transform = tasks.get(t).getTransform();
            if (transform != null) {
                apply(transform, "spec.tasks[" + t + "].transform", slots, violations);
            }
        }
        slots.removeIf(slot -> slot.sourceIndex() >= 0 && slot.sourceIndex() == unwritten);
        return new RowTransform(slots);
    }

    private static void apply(TransformTask transform, String field, List<Slot> slots, List<Violation> violations) {
        for (Map.Entry<String, String> rename : transform.getRename().entrySet()) {
            int at = indexOf(slots, rename.getKey());
            if (at < 0) {
                violations.add(new Violation(field + ".rename." + rename.getKey(), "no column '" + rename.getKey() + "' to rename"));
            } else if (!rename.getKey().equals(rename.getValue()) && indexOf(slots, rename.getValue()) >= 0) {
                violations.add(new Violation(field + ".rename." + rename.getKey(), "column '" + rename.getValue() + "' already exists"));
            } else {
                slots.set(at, slots.get(at).renamed(rename.getValue()));
            }
        }
        for (int i = 0; i < transform.getDrop().size(); i++) {
            String column = transform.getDrop().get(i);
            int at = indexOf(slots, column);
            if (at < 0) {
                violations.add(new Violation(field + ".drop[" + i + "]", "no column '" + column + "' to drop"));
            } else {
                slots.remove(at);
            }
        }
        for (Map.Entry<String, JsonNode> set : transform.getSet().entrySet()) {
            Slot constant = new Slot(set.getKey(), -1, constant(set.getValue()));
            int at = indexOf(slots, set.getKey());
            if (at < 0) {
                slots.add(constant);
            } else {
                slots.set(at, constant);
            }
        }
    }

    /** A constant as the value a reader would give: text, a number, a boolean, null, or json. */
    private static Object constant(JsonNode value) {
        if (value == null || value.isNull()) {
            return null;
        }
        if (value.isTextual()) {
            return value.textValue();
        }
        if (value.isBoolean()) {
            return value.booleanValue();
        }
        if (value.isIntegralNumber()) {
            return value.canConvertToLong() ? (Object) value.longValue() : new BigDecimal(value.bigIntegerValue());
        }
        if (value.isNumber()) {
            return value.decimalValue();
        }
        return new JsonText(value.toString());
    }

    private static int indexOf(List<Slot> slots, String name) {
        for (int i = 0; i < slots.size(); i++) {
            if (slots.get(i).name().equals(name)) {
                return i;
            }
        }
        return -1;
    }

    public List<String> outputColumns() {
        return outputColumns;
    }

    /** The output columns with their PostgreSQL types: a reader column's own, or the type of a constant's value. */
    public List<Column> typedOutputColumns(List<Column> readerColumns) {
        List<Column> typed = new ArrayList<>(outputColumns.size());
        for (int i = 0; i < outputColumns.size(); i++) {
            typed.add(sourceIndexes[i] >= 0
                    ? new Column(outputColumns.get(i), readerColumns.get(sourceIndexes[i]).type(), readerColumns.get(sourceIndexes[i]).declaredType())
                    : constantColumn(outputColumns.get(i), constants[i]));
        }
        return typed;
    }

    /** A constant's type; a NULL's fits any column, and is text where a column must be declared. */
    private static Column constantColumn(String name, Object constant) {
        if (constant == null) {
            return new Column(name, Column.NULL_TYPE, "text");
        }
        if (constant instanceof String) {
            return new Column(name, "text", "text");
        }
        if (constant instanceof Boolean) {
            return new Column(name, "bool", "boolean");
        }
        if (constant instanceof Long) {
            return new Column(name, "int8", "bigint");
        }
        return constant instanceof BigDecimal ? new Column(name, "numeric", "numeric") : new Column(name, "jsonb", "jsonb");
    }

    public Object[] apply(Object[] readerRow) {
        Object[] out = new Object[sourceIndexes.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = sourceIndexes[i] >= 0 ? readerRow[sourceIndexes[i]] : constants[i];
        }
        return out;
    }
}
