package dev.platform.etl.testkit.pipeline;

import dev.platform.etl.testkit.demo.DemoData;
import dev.platform.etl.testkit.pipeline.PipelineBuilder.Transform;

/** Pipelines over the demo schema ({@link DemoData}), as users write them; each test changes what it needs. */
public final class DemoPipelines {
    public static final String FILM_QUERY =
            "SELECT id, title, description, creation_date, rating, type, modified FROM content.film_work";

    private DemoPipelines() {
    }

    /** The films into {@code analytics.film_dim} (key film_id), renamed, one column dropped and one set: a Full run, streamed. */
    public static PipelineBuilder filmDim(String name) {
        return PipelineBuilder.named(name)
                .query(FILM_QUERY)
                .transform(Transform.rename("id", "film_id").andDrop("type").andSet("source_system", "films"))
                .postgresTarget("analytics.film_dim", "film_id");
    }

    /** The films into the Elasticsearch index {@code index}, document ids from film_id. */
    public static PipelineBuilder filmIndex(String name, String index) {
        return PipelineBuilder.named(name)
                .query(FILM_QUERY)
                .transform(Transform.rename("id", "film_id").andSet("source_system", "films"))
                .elasticsearchTarget(index, "film_id");
    }
}
