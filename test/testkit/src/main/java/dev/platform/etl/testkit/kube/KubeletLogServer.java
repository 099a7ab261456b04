package dev.platform.etl.testkit.kube;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.BiFunction;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;

/**
 * The one part of the kubelet's HTTPS API the API server needs for {@code pods/log}
 * ({@code kubectl logs}, or an operator reading a pod's log): {@code GET
 * /containerLogs/NAMESPACE/POD/CONTAINER}, with {@code tailLines} and {@code limitBytes}. It
 * answers with what the container has written so far; {@code follow} is not emulated. A test can
 * {@link #hold hold} one pod's log requests.
 */
final class KubeletLogServer implements AutoCloseable {
    private final HttpsServer server;
    /** Requests held on one pod's log must not hold up the others'. */
    private final ExecutorService handlers = Executors.newCachedThreadPool();
    private final Map<String, LogHold> holds = new ConcurrentHashMap<>();

    /** @param logs the log file of a pod's container (namespace, pod), if the kubelet runs it */
    KubeletLogServer(Pki.Issued serving, BiFunction<String, String, Optional<Path>> logs) {
        try {
            server = HttpsServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
            server.setHttpsConfigurator(new HttpsConfigurator(sslContext(serving)));
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalStateException("cannot start the kubelet's log server", e);
        }
        server.setExecutor(handlers);
        server.createContext("/containerLogs/", exchange -> serve(exchange, logs));
        server.start();
    }

    int port() {
        return server.getAddress().getPort();
    }

    LogHold hold(String namespace, String pod) {
        String key = namespace + "/" + pod;
        LogHold hold = new LogHold(() -> holds.remove(key));
        if (holds.putIfAbsent(key, hold) != null) {
            throw new IllegalStateException("the log of " + key + " is held already");
        }
        return hold;
    }

    private void serve(HttpExchange exchange, BiFunction<String, String, Optional<Path>> logs) throws IOException {
        try (exchange) {
            String[] path = exchange.getRequestURI().getPath().split("/");
            LogHold hold = path.length >= 5 ? holds.get(path[2] + "/" + path[3]) : null;
            if (hold != null) {
                awaitRelease(hold);
            }
            Optional<Path> log = path.length >= 5 ? logs.apply(path[2], path[3]) : Optional.empty();
            if (log.isEmpty()) {
                exchange.sendResponseHeaders(404, -1);
                return;
            }
            byte[] body = tail(Files.exists(log.get()) ? Files.readString(log.get()) : "", query(exchange.getRequestURI().getRawQuery()))
                    .getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "text/plain; charset=utf-8");
            exchange.sendResponseHeaders(200, body.length == 0 ? -1 : body.length);
            if (body.length > 0) {
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(body);
                }
            }
        }
    }

    private static void awaitRelease(LogHold hold) {
        try {
            hold.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static String tail(String log, Map<String, String> query) {
        String text = log;
        if (query.containsKey("tailLines")) {
            List<String> lines = log.lines().toList();
            int keep = Math.min(lines.size(), Integer.parseInt(query.get("tailLines")));
            text = keep == 0 ? "" : String.join("\n", lines.subList(lines.size() - keep, lines.size())) + "\n";
        }
        if (query.containsKey("limitBytes")) {
            byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
            int limit = (int) Math.min(bytes.length, Long.parseLong(query.get("limitBytes")));
            text = new String(bytes, 0, limit, StandardCharsets.UTF_8);
        }
        return text;
    }

    private static Map<String, String> query(String raw) {
        Map<String, String> values = new HashMap<>();
        if (raw != null) {
            for (String pair : raw.split("&")) {
                int equals = pair.indexOf('=');
                if (equals > 0) {
                    values.put(pair.substring(0, equals), URLDecoder.decode(pair.substring(equals + 1), StandardCharsets.UTF_8));
                }
            }
        }
        return values;
    }

    private static SSLContext sslContext(Pki.Issued serving) throws GeneralSecurityException, IOException {
        KeyStore store = KeyStore.getInstance("PKCS12");
        store.load(null, null);
        char[] password = "kubelet".toCharArray();
        store.setKeyEntry("serving", serving.keys().getPrivate(), password, new Certificate[] {serving.certificate()});
        KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        keys.init(store, password);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(keys.getKeyManagers(), null, null);
        return context;
    }

    @Override
    public void close() {
        holds.values().forEach(LogHold::close);
        server.stop(0);
        handlers.shutdownNow();
    }
}
