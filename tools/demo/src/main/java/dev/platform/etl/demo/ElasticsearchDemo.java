package dev.platform.etl.demo;

import dev.platform.etl.api.validation.Allowlist;
import dev.platform.etl.runner.cli.EtlRunner;
import dev.platform.etl.testkit.demo.DemoData;
import dev.platform.etl.testkit.elasticsearch.ElasticsearchServer;
import dev.platform.etl.testkit.postgres.PostgresServer;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.util.Map;

/**
 * {@code make es-demo}: an embedded PostgreSQL and Elasticsearch, the demo films, the example
 * pipeline into the index twice (the second run reads nothing), the document count and one document.
 */
public final class ElasticsearchDemo {
    private static final String INDEX = "film_dim";

    private ElasticsearchDemo() {
    }

    public static void main(String[] args) throws Exception {
        Path examples = Path.of(args.length > 0 ? args[0] : "examples");
        System.out.println("== Starting an embedded PostgreSQL and Elasticsearch (the first start takes a while)");
        try (PostgresServer postgres = PostgresServer.start(); ElasticsearchServer elasticsearch = ElasticsearchServer.start()) {
            try (Connection admin = postgres.connect("postgres"); Statement statement = admin.createStatement()) {
                statement.execute("CREATE DATABASE etl_demo");
            }
            try (Connection connection = postgres.connect("etl_demo")) {
                DemoData.reset(connection, 2_000);
            }
            Path secrets = Files.createTempFile("etl-es-demo", ".yaml");
            Files.writeString(secrets, DemoSecrets.yaml(postgres.jdbcUrl("etl_demo"), PostgresServer.SUPERUSER, "")
                    + DemoSecrets.search(elasticsearch.url()));
            try {
                for (String title : new String[] {"run 1: every film", "run 2: nothing changed"}) {
                    System.out.println("\n== film-dim-es, " + title);
                    run(examples.resolve("film-dim-es.yaml"), secrets);
                }
            } finally {
                Files.deleteIfExists(secrets);
            }
            HttpClient http = HttpClient.newHttpClient();
            get(http, elasticsearch.url() + "/" + INDEX + "/_refresh");
            System.out.println("\n== GET /" + INDEX + "/_count");
            System.out.println(get(http, elasticsearch.url() + "/" + INDEX + "/_count"));
            System.out.println("\n== One document");
            System.out.println(get(http, elasticsearch.url() + "/" + INDEX + "/_search?size=1&sort=modified:asc&filter_path=hits.hits._id,hits.hits._source"));
            System.out.println("\n== Stopping");
        }
    }

    private static void run(Path pipeline, Path secrets) {
        StringWriter out = new StringWriter();
        int exit = new EtlRunner(Map.of(Allowlist.ELASTICSEARCH_INDICES_ENV, INDEX), false).commandLine()
                .setOut(new PrintWriter(out, true))
                .execute("run", "-f", pipeline.toString(), "-f", secrets.toString());
        System.out.println("exit " + exit + ": " + out.toString().strip());
        if (exit != 0) {
            throw new IllegalStateException("the Elasticsearch demo pipeline did not succeed");
        }
    }

    private static String get(HttpClient http, String url) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString()).body();
    }
}
