package dev.platform.etl.api.spec;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.ValidationRule;

/** One step of Tasks v1: exactly one of {@code sqlReader} or {@code transform}, and on the last step an optional target override. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(value = "has(self.sqlReader) != has(self.transform)", message = "a task has exactly one of sqlReader or transform")
public class TaskSpec {
    @JsonPropertyDescription("The reader: first task only.")
    private SqlReaderTask sqlReader;
    @JsonPropertyDescription("A row transform: rename, then drop, then set.")
    private TransformTask transform;
    @JsonPropertyDescription("On the last task only: a target that overrides spec.target.")
    private TargetSpec target;

    public SqlReaderTask getSqlReader() {
        return sqlReader;
    }

    public void setSqlReader(SqlReaderTask sqlReader) {
        this.sqlReader = sqlReader;
    }

    public TransformTask getTransform() {
        return transform;
    }

    public void setTransform(TransformTask transform) {
        this.transform = transform;
    }

    public TargetSpec getTarget() {
        return target;
    }

    public void setTarget(TargetSpec target) {
        this.target = target;
    }
}
