package dev.platform.etl.api.reference;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.StreamSupport;

/**
 * The EtlPipeline API reference, as Markdown, from the CRD's OpenAPI schema: a table per root
 * (spec, status) with every field's path, type, default, validation and description, as
 * {@code kubectl explain} reads them.
 */
final class CrdReference {
    private CrdReference() {
    }

    static String render(JsonNode crd) {
        JsonNode version = crd.at("/spec/versions/0");
        String group = crd.at("/spec/group").asText();
        String kind = crd.at("/spec/names/kind").asText();
        JsonNode schema = version.at("/schema/openAPIV3Schema/properties");
        StringBuilder page = new StringBuilder();
        page.append("# ").append(kind).append(" API reference\n\n")
                .append("`apiVersion: ").append(group).append('/').append(version.get("name").asText()).append("`, `kind: ").append(kind)
                .append("` (short name `").append(crd.at("/spec/names/shortNames/0").asText()).append("`).\n\n")
                .append("Generated from the classes in `api/` by `make docs`; a test fails when this page is out of date.\n")
                .append("`kubectl explain ").append(crd.at("/spec/names/singular").asText())
                .append(".spec` shows the same descriptions on a cluster.\n");
        for (String root : List.of("spec", "status")) {
            JsonNode property = schema.get(root);
            page.append("\n## ").append(root).append("\n\n");
            if (property.hasNonNull("description")) {
                page.append(cell(property.get("description").asText())).append("\n\n");
            }
            property.path("x-kubernetes-validations").forEach(rule -> page.append("- ").append(cell(rule.path("message").asText())).append('\n'));
            page.append(property.has("x-kubernetes-validations") ? "\n" : "");
            page.append("| Field | Type | Default | Validation | Description |\n| --- | --- | --- | --- | --- |\n");
            List<String> rows = new ArrayList<>();
            fields(root, property, rows);
            rows.forEach(row -> page.append(row).append('\n'));
        }
        return page.toString();
    }

    /** One row per field below {@code property}, depth first, in the schema's order. */
    private static void fields(String path, JsonNode property, List<String> rows) {
        JsonNode object = property.has("items") ? property.get("items") : property;
        Set<String> required = names(object.get("required"));
        object.path("properties").fields().forEachRemaining(field -> {
            String fieldPath = path + "." + field.getKey() + (field.getValue().has("items") ? "[]" : "");
            rows.add(row(fieldPath, field.getValue(), required.contains(field.getKey())));
            fields(fieldPath, field.getValue(), rows);
        });
    }

    private static String row(String path, JsonNode field, boolean required) {
        return "| `" + path + "` | " + type(field) + " | " + (field.has("default") ? "`" + field.get("default") + "`" : "")
                + " | " + validation(field, required) + " | " + cell(field.path("description").asText("")) + " |";
    }

    private static String type(JsonNode field) {
        if (field.path("x-kubernetes-int-or-string").asBoolean()) {
            return "integer or string";
        }
        String type = field.path("type").asText("object");
        if (type.equals("array")) {
            return "array of " + type(field.get("items"));
        }
        if (type.equals("object") && field.has("additionalProperties")) {
            return "map of " + type(field.get("additionalProperties"));
        }
        return type;
    }

    private static String validation(JsonNode field, boolean required) {
        List<String> rules = new ArrayList<>();
        if (required) {
            rules.add("required");
        }
        if (field.has("enum")) {
            rules.add("one of " + String.join(", ", StreamSupport.stream(field.get("enum").spliterator(), false).map(v -> "`" + v.asText() + "`").toList()));
        }
        for (String bound : List.of("minimum", "maximum", "minLength", "maxLength", "minItems", "maxItems")) {
            if (field.has(bound)) {
                JsonNode value = field.get(bound);
                rules.add(bound + " " + (value.isNumber() && value.asDouble() == Math.rint(value.asDouble()) ? String.valueOf(value.asLong()) : value.asText()));
            }
        }
        if (field.has("pattern")) {
            rules.add("pattern `" + field.get("pattern").asText() + "`");
        }
        if (field.has("format")) {
            rules.add("format " + field.get("format").asText());
        }
        field.path("x-kubernetes-validations").forEach(rule -> rules.add(rule.hasNonNull("message") ? rule.get("message").asText()
                : "`" + rule.path("rule").asText() + "`"));
        return cell(String.join("; ", rules));
    }

    private static Set<String> names(JsonNode list) {
        return list == null ? Set.of() : Set.copyOf(StreamSupport.stream(list.spliterator(), false).map(JsonNode::asText).toList());
    }

    /** Text that stays in its table cell. */
    private static String cell(String text) {
        return text.replace("|", "\\|").replaceAll("\\s*\\n\\s*", " ").trim();
    }
}
