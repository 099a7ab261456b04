package dev.platform.etl.testkit.pipeline;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.platform.etl.api.EtlPipeline;
import dev.platform.etl.api.spec.ControlSpec;
import dev.platform.etl.api.spec.ElasticsearchTarget;
import dev.platform.etl.api.spec.EtlPipelineSpec;
import dev.platform.etl.api.spec.IncrementalSpec;
import dev.platform.etl.api.spec.Mode;
import dev.platform.etl.api.spec.PostgresConnection;
import dev.platform.etl.api.spec.PostgresTarget;
import dev.platform.etl.api.spec.RetrySpec;
import dev.platform.etl.api.spec.RunRetrySpec;
import dev.platform.etl.api.spec.SourceSpec;
import dev.platform.etl.api.spec.SqlReaderTask;
import dev.platform.etl.api.spec.TargetSpec;
import dev.platform.etl.api.spec.TaskSpec;
import dev.platform.etl.api.spec.TransformTask;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * An EtlPipeline for a test, built on the api's own types and written out as the YAML a user
 * applies. It starts as a Full run from the Secret {@code source-db}, with a quick retry policy
 * (3 attempts, 100 ms to 1 s); {@link DemoPipelines} starts it over the demo schema.
 */
public final class PipelineBuilder {
    private static final KubernetesSerialization YAML = new KubernetesSerialization();
    private static final ObjectMapper JSON = new ObjectMapper();

    private final EtlPipeline pipeline = new EtlPipeline();
    private final EtlPipelineSpec spec = new EtlPipelineSpec();
    private final SqlReaderTask reader = new SqlReaderTask();
    private final List<TransformTask> transforms = new ArrayList<>();

    private PipelineBuilder(String name) {
        pipeline.setMetadata(new ObjectMetaBuilder().withName(name).build());
        pipeline.setSpec(spec);
        // unset rather than false: re-applying the manifest must not resume a pipeline a test suspended
        spec.setSuspend(null);
        source("source-db");
        retry(3, "100ms", "1s");
    }

    public static PipelineBuilder named(String name) {
        return new PipelineBuilder(name);
    }

    public PipelineBuilder namespace(String namespace) {
        pipeline.getMetadata().setNamespace(namespace);
        return this;
    }

    public PipelineBuilder mode(Mode mode) {
        spec.setMode(mode);
        return this;
    }

    public PipelineBuilder batchSize(int rows) {
        spec.setBatchSize(rows);
        return this;
    }

    public PipelineBuilder parallelism(int ranges) {
        spec.setParallelism(ranges);
        return this;
    }

    public PipelineBuilder runRequest(String runRequest) {
        spec.setRunRequest(runRequest);
        return this;
    }

    public PipelineBuilder schedule(String cron) {
        spec.setSchedule(cron);
        return this;
    }

    public PipelineBuilder timeZone(String zone) {
        spec.setTimeZone(zone);
        return this;
    }

    public PipelineBuilder startingDeadlineSeconds(long seconds) {
        spec.setStartingDeadlineSeconds(seconds);
        return this;
    }

    public PipelineBuilder suspend(boolean suspend) {
        spec.setSuspend(suspend);
        return this;
    }

    public PipelineBuilder source(String secretRef) {
        SourceSpec source = new SourceSpec();
        source.setPostgres(connection(secretRef));
        spec.setSource(source);
        return this;
    }

    public PipelineBuilder query(String sql) {
        reader.setQuery(sql);
        return this;
    }

    public PipelineBuilder statementTimeout(String timeout) {
        reader.setStatementTimeout(timeout);
        return this;
    }

    /** A Full run read in pages of {@code column}, checkpointed per batch, so that it resumes after a stop. */
    public PipelineBuilder tieBreaker(String column) {
        incremental().setTieBreakerColumn(column);
        return this;
    }

    /** An Incremental run: keyset pages on {@code (cursorColumn, tieBreakerColumn)} after the checkpoint. */
    public PipelineBuilder incremental(String cursorColumn, String tieBreakerColumn) {
        spec.setMode(Mode.Incremental);
        incremental().setCursorColumn(cursorColumn);
        incremental().setTieBreakerColumn(tieBreakerColumn);
        return this;
    }

    public PipelineBuilder lag(String lag) {
        incremental().setLag(lag);
        return this;
    }

    public PipelineBuilder deletedColumn(String column) {
        incremental().setDeletedColumn(column);
        return this;
    }

    /** Drops spec.incremental: a Full run streamed in one statement. */
    public PipelineBuilder streamed() {
        spec.setIncremental(null);
        return this;
    }

    private IncrementalSpec incremental() {
        if (spec.getIncremental() == null) {
            spec.setIncremental(new IncrementalSpec());
        }
        return spec.getIncremental();
    }

    /** Adds a transform task after the ones before it. */
    public PipelineBuilder transform(Transform transform) {
        transforms.add(transform.task());
        return this;
    }

    public PipelineBuilder noTransforms() {
        transforms.clear();
        return this;
    }

    /** Upserts into {@code table} on {@code keyColumns}, with the Secret {@code target-db}. */
    public PipelineBuilder postgresTarget(String table, String... keyColumns) {
        PostgresTarget target = new PostgresTarget();
        target.setSecretRef("target-db");
        target.setTable(table);
        target.setKeyColumns(List.of(keyColumns));
        TargetSpec spec = new TargetSpec();
        spec.setPostgres(target);
        this.spec.setTarget(spec);
        return this;
    }

    /** Changes the PostgreSQL target: {@code createTable}, {@code deleteMissing}, its Secret... */
    public PipelineBuilder postgres(Consumer<PostgresTarget> change) {
        change.accept(spec.getTarget().getPostgres());
        return this;
    }

    /** Indexes into {@code index}, document ids from {@code idColumn}, with the Secret {@code search}. */
    public PipelineBuilder elasticsearchTarget(String index, String idColumn) {
        ElasticsearchTarget target = new ElasticsearchTarget();
        target.setSecretRef("search");
        target.setIndex(index);
        target.setIdColumn(idColumn);
        TargetSpec spec = new TargetSpec();
        spec.setElasticsearch(target);
        this.spec.setTarget(spec);
        return this;
    }

    /** Loads behind {@code alias} instead of into one index. */
    public PipelineBuilder alias(String alias) {
        elasticsearch(target -> {
            target.setIndex(null);
            target.setAlias(alias);
        });
        return this;
    }

    /** The index's mappings, as JSON: {@code {"properties": {"title": {"type": "keyword"}}}}. */
    public PipelineBuilder mappings(String json) {
        try {
            Map<String, JsonNode> mappings = new LinkedHashMap<>();
            JSON.readTree(json).fields().forEachRemaining(field -> mappings.put(field.getKey(), field.getValue()));
            return elasticsearch(target -> target.setMappings(mappings));
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("mappings are not JSON: " + json, e);
        }
    }

    /** Changes the Elasticsearch target: its Secret, its alias... */
    public PipelineBuilder elasticsearch(Consumer<ElasticsearchTarget> change) {
        change.accept(spec.getTarget().getElasticsearch());
        return this;
    }

    public PipelineBuilder runRetry(int limit, String backoff, String maxBackoff) {
        RunRetrySpec retry = new RunRetrySpec();
        retry.setLimit(limit);
        retry.setBackoff(backoff);
        retry.setMaxBackoff(maxBackoff);
        spec.setRunRetry(retry);
        return this;
    }

    public PipelineBuilder retry(int maxAttempts, String initialBackoff, String maxBackoff) {
        RetrySpec retry = new RetrySpec();
        retry.setMaxAttempts(maxAttempts);
        retry.setInitialBackoff(initialBackoff);
        retry.setMaxBackoff(maxBackoff);
        spec.setRetry(retry);
        return this;
    }

    /** Keeps the control schema in the database of this Secret. */
    public PipelineBuilder control(String secretRef) {
        ControlSpec control = new ControlSpec();
        control.setPostgres(connection(secretRef));
        spec.setControl(control);
        return this;
    }

    /** Anything else the spec holds. */
    public PipelineBuilder spec(Consumer<EtlPipelineSpec> change) {
        change.accept(spec);
        return this;
    }

    public EtlPipeline build() {
        List<TaskSpec> tasks = new ArrayList<>();
        TaskSpec read = new TaskSpec();
        read.setSqlReader(reader);
        tasks.add(read);
        for (TransformTask transform : transforms) {
            TaskSpec task = new TaskSpec();
            task.setTransform(transform);
            tasks.add(task);
        }
        spec.setTasks(tasks);
        return pipeline;
    }

    /** The manifest, as {@code kubectl apply -f} and the runner's {@code --pipeline} take it. */
    public String yaml() {
        return YAML.asYaml(build());
    }

    private static PostgresConnection connection(String secretRef) {
        PostgresConnection connection = new PostgresConnection();
        connection.setSecretRef(secretRef);
        return connection;
    }

    /** One transform task: renames, then drops, then sets, as the runner applies them. */
    public static final class Transform {
        private final Map<String, String> rename = new LinkedHashMap<>();
        private final List<String> drop = new ArrayList<>();
        private final Map<String, Object> set = new LinkedHashMap<>();

        private Transform() {
        }

        public static Transform rename(String from, String to) {
            return new Transform().andRename(from, to);
        }

        public static Transform drop(String... columns) {
            return new Transform().andDrop(columns);
        }

        public static Transform set(String column, Object value) {
            return new Transform().andSet(column, value);
        }

        public Transform andRename(String from, String to) {
            rename.put(from, to);
            return this;
        }

        public Transform andDrop(String... columns) {
            drop.addAll(List.of(columns));
            return this;
        }

        public Transform andSet(String column, Object value) {
            set.put(column, value);
            return this;
        }

        TransformTask task() {
            TransformTask task = new TransformTask();
            task.setRename(new LinkedHashMap<>(rename));
            task.setDrop(List.copyOf(drop));
            Map<String, JsonNode> values = new LinkedHashMap<>();
            set.forEach((column, value) -> values.put(column, JSON.valueToTree(value)));
            task.setSet(values);
            return task;
        }
    }
}
