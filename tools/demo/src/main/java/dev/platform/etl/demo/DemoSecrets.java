package dev.platform.etl.demo;

/** The Secrets the example pipelines reference, pointing at a local database. */
final class DemoSecrets {
    private DemoSecrets() {
    }

    static String yaml(String jdbcUrl, String username, String password) {
        StringBuilder yaml = new StringBuilder();
        for (String name : new String[] {"source-db", "target-db"}) {
            yaml.append("""
                    apiVersion: v1
                    kind: Secret
                    metadata: {name: %s, namespace: etl-demo}
                    stringData: {jdbcUrl: "%s", username: "%s", password: "%s"}
                    ---
                    """.formatted(name, jdbcUrl, username, password));
        }
        return yaml.toString();
    }

    static String search(String url) {
        return """
                apiVersion: v1
                kind: Secret
                metadata: {name: search, namespace: etl-demo}
                stringData: {url: "%s"}
                """.formatted(url);
    }
}
