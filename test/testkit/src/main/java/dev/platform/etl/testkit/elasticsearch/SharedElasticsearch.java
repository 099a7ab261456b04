package dev.platform.etl.testkit.elasticsearch;

/**
 * The one Elasticsearch of a test JVM: the server named by {@code ETL_TEST_ES_URL}, or else one
 * started on first use and stopped when the JVM ends. Tests keep their state apart by index name.
 */
public final class SharedElasticsearch {
    public static final String URL_ENV = "ETL_TEST_ES_URL";

    private final String url;
    private final ElasticsearchServer server;

    private SharedElasticsearch(String url, ElasticsearchServer server) {
        this.url = url;
        this.server = server;
    }

    private static final class Holder {
        static final SharedElasticsearch INSTANCE = create();

        private static SharedElasticsearch create() {
            String external = System.getenv(URL_ENV);
            if (external != null && !external.isBlank()) {
                return new SharedElasticsearch(external, null);
            }
            ElasticsearchServer server = ElasticsearchServer.start();
            Runtime.getRuntime().addShutdownHook(new Thread(server::close, "elasticsearch-stop"));
            return new SharedElasticsearch(server.url(), server);
        }
    }

    public static SharedElasticsearch get() {
        return Holder.INSTANCE;
    }

    public String url() {
        return url;
    }

    /** The embedded server, for tests that stop and restart it; null when an external one is used. */
    public ElasticsearchServer server() {
        return server;
    }
}
