package dev.platform.etl.api.spec;

import com.fasterxml.jackson.annotation.JsonInclude;

/** One step of Tasks v1: exactly one of {@code sqlReader} or {@code transform}, and on the last step an optional target override. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class TaskSpec {
    private SqlReaderTask sqlReader;
    private TransformTask transform;
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
