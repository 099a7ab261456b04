package dev.platform.etl.runner.connect;

import co.elastic.clients.elasticsearch.ElasticsearchClient;
import co.elastic.clients.json.jackson.JacksonJsonpMapper;
import co.elastic.clients.transport.rest_client.RestClientTransport;
import dev.platform.etl.api.manifest.Secrets;
import org.apache.http.Header;
import org.apache.http.HttpHost;
import org.apache.http.auth.AuthScope;
import org.apache.http.auth.UsernamePasswordCredentials;
import org.apache.http.impl.client.BasicCredentialsProvider;
import org.apache.http.message.BasicHeader;
import org.elasticsearch.client.RestClient;
import org.elasticsearch.client.RestClientBuilder;

/** Where an Elasticsearch cluster is and how to log in (Secret keys url, and username/password or apiKey). */
public record ElasticsearchEndpoint(String url, String username, String password, String apiKey) {
    private static final int CONNECT_TIMEOUT_MILLIS = 5_000;
    private static final int SOCKET_TIMEOUT_MILLIS = 60_000;

    public static ElasticsearchEndpoint fromSecret(Secrets secrets, String secretName) {
        return new ElasticsearchEndpoint(
                secrets.require(secretName, "url"),
                secrets.value(secretName, "username").orElse(null),
                secrets.value(secretName, "password").orElse(null),
                secrets.value(secretName, "apiKey").orElse(null));
    }

    /**
     * A client of the 8.x Java API. It speaks to 8.x servers and, through its compatibility
     * headers, to 9.x servers.
     */
    public ElasticsearchClient client() {
        RestClientBuilder builder = RestClient.builder(HttpHost.create(url))
                .setRequestConfigCallback(config -> config
                        .setConnectTimeout(CONNECT_TIMEOUT_MILLIS)
                        .setSocketTimeout(SOCKET_TIMEOUT_MILLIS));
        if (apiKey != null) {
            builder.setDefaultHeaders(new Header[] {new BasicHeader("Authorization", "ApiKey " + apiKey)});
        } else if (username != null) {
            BasicCredentialsProvider credentials = new BasicCredentialsProvider();
            credentials.setCredentials(AuthScope.ANY, new UsernamePasswordCredentials(username, password));
            builder.setHttpClientConfigCallback(http -> http.setDefaultCredentialsProvider(credentials));
        }
        return new ElasticsearchClient(new RestClientTransport(builder.build(), new JacksonJsonpMapper()));
    }

    @Override
    public String toString() {
        return "ElasticsearchEndpoint[" + url + (username == null ? "" : " as " + username) + "]";
    }
}
