package dev.platform.etl.runner.support;

import static dev.platform.etl.runner.support.TestPipelines.FILM_QUERY;

import dev.platform.etl.testkit.pipeline.DemoPipelines;
import dev.platform.etl.testkit.pipeline.PipelineBuilder;

/** The pipelines of the runner's tests: the demo ones, in the namespace {@value #NAMESPACE}. */
public final class TestPipelines {
    public static final String NAMESPACE = "etl-test";
    public static final String FILM_QUERY = DemoPipelines.FILM_QUERY;

    private TestPipelines() {
    }

    /** A pipeline with a reader, a target and nothing else to say yet. */
    public static PipelineBuilder pipeline(String name) {
        return PipelineBuilder.named(name).namespace(NAMESPACE);
    }

    /** The films into analytics.film_dim: see {@link DemoPipelines#filmDim}. */
    public static PipelineBuilder filmDim(String name) {
        return DemoPipelines.filmDim(name).namespace(NAMESPACE);
    }

    /** The films into an Elasticsearch index: see {@link DemoPipelines#filmIndex}. */
    public static PipelineBuilder filmIndex(String name, String index) {
        return DemoPipelines.filmIndex(name, index).namespace(NAMESPACE);
    }
}
