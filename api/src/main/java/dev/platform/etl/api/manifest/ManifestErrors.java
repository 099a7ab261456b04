package dev.platform.etl.api.manifest;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import java.util.stream.Collectors;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;

/**
 * What is wrong with a manifest, said without echoing it: a file of Secrets is as likely to be
 * malformed as any other, and the YAML parser's own message quotes the offending lines.
 */
final class ManifestErrors {
    private ManifestErrors() {
    }

    /** Where the YAML is malformed, and the parser's name for the problem, without the text around it. */
    static String describeSyntax(Exception e) {
        String where = e instanceof JsonProcessingException json && json.getLocation() != null ? at(json.getLocation()) : "";
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof MarkedYAMLException marked) {
                String problem = marked.getProblem() == null ? "" : marked.getProblem();
                String context = marked.getContext() == null ? "" : marked.getContext() + ": ";
                Mark mark = marked.getProblemMark();
                return (mark == null ? where : "line " + (mark.getLine() + 1) + ", column " + (mark.getColumn() + 1) + ": ")
                        + context + problem;
            }
        }
        return where + e.getClass().getSimpleName();
    }

    /**
     * The field that does not fit its type. With {@code withDetails}, Jackson's own words too (the
     * value and the accepted ones); without, for a Secret, only what type the field needs.
     */
    static String describeMapping(Exception e, boolean withDetails) {
        if (!(e instanceof JsonMappingException mapping)) {
            return withDetails ? e.getMessage() : e.getClass().getSimpleName();
        }
        String field = path(mapping);
        if (withDetails) {
            return field + ": " + mapping.getOriginalMessage();
        }
        if (mapping instanceof MismatchedInputException mismatch && mismatch.getTargetType() != null) {
            return field + ": must be " + kindOf(mismatch.getTargetType());
        }
        return field + ": does not fit a Secret";
    }

    private static String path(JsonMappingException e) {
        String path = e.getPath().stream()
                .map(r -> r.getFieldName() != null ? "." + r.getFieldName() : "[" + r.getIndex() + "]")
                .collect(Collectors.joining());
        return path.startsWith(".") ? path.substring(1) : path.isEmpty() ? "(document)" : path;
    }

    private static String kindOf(Class<?> type) {
        if (java.util.Map.class.isAssignableFrom(type)) {
            return "a map of keys to strings";
        }
        if (CharSequence.class.isAssignableFrom(type)) {
            return "a string";
        }
        return "a " + type.getSimpleName();
    }

    private static String at(JsonLocation location) {
        return "line " + location.getLineNr() + ", column " + location.getColumnNr() + ": ";
    }
}
