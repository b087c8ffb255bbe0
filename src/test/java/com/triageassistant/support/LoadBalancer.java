package com.triageassistant.support;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * The load balancer in front of a cluster's instances, as a deployment has one: round robin over the backends;
 * a backend that refuses the connection (down, restarting) is skipped for the next one, as nginx's
 * {@code proxy_next_upstream error} does; a backend that fails after taking the request gets the client a 502
 * (the request may have been acted on, so it is not replayed: Jira retries the delivery itself).
 */
public final class LoadBalancer implements AutoCloseable {

    private static final Set<String> HOP_BY_HOP = Set.of("connection", "content-length", "expect", "host", "upgrade",
            "transfer-encoding", "keep-alive", "date");

    private final List<String> backends;
    private final HttpServer server;
    private final ExecutorService executor = Executors.newFixedThreadPool(16);
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(2)).build();
    private final AtomicInteger next = new AtomicInteger();

    /** @param backends base URLs, e.g. {@code http://localhost:8081} */
    public LoadBalancer(List<String> backends) throws IOException {
        this.backends = List.copyOf(backends);
        this.server = HttpServer.create(new InetSocketAddress("127.0.0.1", FreePorts.next()), 64);
        server.createContext("/", this::forward);
        server.setExecutor(executor);
        server.start();
    }

    public String url() {
        return "http://localhost:" + server.getAddress().getPort();
    }

    private void forward(HttpExchange exchange) throws IOException {
        try (exchange) {
            byte[] body;
            try (InputStream in = exchange.getRequestBody()) {
                body = in.readAllBytes();
            }
            int first = Math.floorMod(next.getAndIncrement(), backends.size());
            for (int i = 0; i < backends.size(); i++) {
                String backend = backends.get((first + i) % backends.size());
                try {
                    HttpResponse<byte[]> response = http.send(request(exchange, backend, body),
                            HttpResponse.BodyHandlers.ofByteArray());
                    respond(exchange, response.statusCode(), response.headers().map(), response.body());
                    return;
                } catch (ConnectException | HttpConnectTimeoutException down) {
                    // Not reached: nothing was sent, the next backend may take it.
                } catch (IOException failedMidway) {
                    respond(exchange, 502, java.util.Map.of(), new byte[0]);
                    return;
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    respond(exchange, 502, java.util.Map.of(), new byte[0]);
                    return;
                }
            }
            respond(exchange, 503, java.util.Map.of(), new byte[0]);
        }
    }

    private static HttpRequest request(HttpExchange exchange, String backend, byte[] body) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(backend + exchange.getRequestURI()))
                .timeout(Duration.ofSeconds(30))
                .method(exchange.getRequestMethod(), body.length == 0 ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofByteArray(body));
        exchange.getRequestHeaders().forEach((name, values) -> {
            if (!HOP_BY_HOP.contains(name.toLowerCase())) {
                values.forEach(value -> request.header(name, value));
            }
        });
        return request.build();
    }

    private static void respond(HttpExchange exchange, int status, java.util.Map<String, List<String>> headers,
                                byte[] body) throws IOException {
        headers.forEach((name, values) -> {
            if (!HOP_BY_HOP.contains(name.toLowerCase()) && !name.startsWith(":")) {
                exchange.getResponseHeaders().put(name, values);
            }
        });
        exchange.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
        if (body.length > 0) {
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        }
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
