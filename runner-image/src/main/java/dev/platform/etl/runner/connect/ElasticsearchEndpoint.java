package dev.platform.etl.runner.connect;

import co.elastic.clients.elasticsearch.ElasticsearchClient;
import co.elastic.clients.json.jackson.JacksonJsonpMapper;
import co.elastic.clients.transport.rest_client.RestClientTransport;
import dev.platform.etl.api.manifest.Secrets;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
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
    /** {@code scheme://} then {@code user[:password]@}, then the rest. */
    private static final Pattern USER_INFO = Pattern.compile("([A-Za-z][A-Za-z0-9+.-]*://)([^/@:]*)(?::([^/@]*))?@(.*)", Pattern.DOTALL);

    /** Credentials in the URL ({@code https://user:password@host:9200}) count as username and password, unless the Secret has those keys. */
    public static ElasticsearchEndpoint fromSecret(Secrets secrets, String secretName) {
        String url = secrets.require(secretName, "url");
        Matcher userInfo = USER_INFO.matcher(url);
        String urlUser = null;
        String urlPassword = null;
        if (userInfo.matches()) {
            url = userInfo.group(1) + userInfo.group(4);
            urlUser = URLDecoder.decode(userInfo.group(2), StandardCharsets.UTF_8);
            urlPassword = userInfo.group(3) == null ? null : URLDecoder.decode(userInfo.group(3), StandardCharsets.UTF_8);
        }
        return new ElasticsearchEndpoint(url,
                secrets.value(secretName, "username").orElse(urlUser),
                secrets.value(secretName, "password").orElse(urlPassword),
                secrets.value(secretName, "apiKey").orElse(null));
    }

    /**
     * A client of the 8.x Java API. It speaks to 8.x servers and, through its compatibility
     * headers, to 9.x servers.
     */
    public ElasticsearchClient client() {
        HttpHost host;
        try {
            host = HttpHost.create(url);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("the Elasticsearch url is not scheme://host:port: " + e.getMessage(), e);
        }
        RestClientBuilder builder = RestClient.builder(host)
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
