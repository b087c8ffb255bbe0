package com.triageassistant.jira.emulator;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntSupplier;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.nimbusds.jose.crypto.MACVerifier;
import com.nimbusds.jwt.SignedJWT;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * A minimal Connect app for exercising the emulator on its own (its tests, its benchmark): serves a descriptor with
 * webhooks, accepts lifecycle calls, records every webhook delivery with what its JWT proved, and answers with
 * statuses the caller chooses. The real app is tested against the emulator elsewhere.
 */
public final class RecordingApp implements AutoCloseable {

    public static final String KEY = "recording-app";
    public static final List<String> EVENTS = List.of("jira:issue_created", "jira:issue_updated", "jira:issue_deleted",
            "project_deleted", "user_deleted");

    public record Delivery(String event, String identifier, String retryHeader, JsonNode body, boolean signatureValid,
                    boolean qshValid, String issuer) {
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpServer server;
    private final List<Delivery> deliveries = new ArrayList<>();
    private final Map<String, String> sharedSecrets = new ConcurrentHashMap<>();
    private volatile IntSupplier webhookStatus = () -> 200;
    private volatile long webhookDelayMillis;
    private final AtomicInteger lifecycleCalls = new AtomicInteger();
    private final HttpClient client = HttpClient.newHttpClient();
    private volatile String callDuringInstall;
    private volatile int statusDuringInstall;

    public RecordingApp() {
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 64);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.setExecutor(Executors.newCachedThreadPool());
        server.createContext("/", this::handle);
        server.start();
    }

    public String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    /** Each webhook delivery is answered with the next value of this supplier. */
    public void answerWebhooksWith(IntSupplier status) {
        this.webhookStatus = status;
    }

    public void delayWebhookAnswers(long millis) {
        this.webhookDelayMillis = millis;
    }

    /** While answering {@code installed}, GETs this Jira path signed with the fresh shared secret. */
    public void callJiraWhileInstalling(String path) {
        this.callDuringInstall = path;
    }

    /** The status Jira answered the call made during {@code installed}; 0 if none was made. */
    public int statusDuringInstall() {
        return statusDuringInstall;
    }

    public List<Delivery> deliveries() {
        synchronized (deliveries) {
            return List.copyOf(deliveries);
        }
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String path = exchange.getRequestURI().getPath();
            byte[] body = exchange.getRequestBody().readAllBytes();
            if (path.equals("/atlassian-connect.json")) {
                byte[] descriptor = descriptor().getBytes(StandardCharsets.UTF_8);
                exchange.sendResponseHeaders(200, descriptor.length);
                exchange.getResponseBody().write(descriptor);
            } else if (path.startsWith("/lifecycle/")) {
                JsonNode payload = JSON.readTree(body);
                if (path.endsWith("/installed")) {
                    sharedSecrets.put(payload.path("clientKey").asText(), payload.path("sharedSecret").asText());
                    String probe = callDuringInstall;
                    if (probe != null) {
                        statusDuringInstall = callJira(payload, probe);
                    }
                }
                lifecycleCalls.incrementAndGet();
                exchange.sendResponseHeaders(204, -1);
            } else if (path.startsWith("/webhooks/")) {
                record(exchange, path, body);
                if (webhookDelayMillis > 0) {
                    Thread.sleep(webhookDelayMillis);
                }
                exchange.sendResponseHeaders(webhookStatus.getAsInt(), -1);
            } else {
                exchange.sendResponseHeaders(404, -1);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private int callJira(JsonNode installed, String path) {
        String token = ConnectJwts.hs256(installed.path("sharedSecret").asText(),
                ConnectJwts.claims(KEY, ConnectJwts.qsh("GET", path), Duration.ofMinutes(3)).build());
        return Http.send(client, HttpRequest.newBuilder(URI.create(installed.path("baseUrl").asText() + path))
                .header("Authorization", "JWT " + token).GET().build()).statusCode();
    }

    private void record(HttpExchange exchange, String path, byte[] body) throws IOException {
        String auth = exchange.getRequestHeaders().getFirst("Authorization");
        boolean signatureValid = false;
        boolean qshValid = false;
        String issuer = null;
        try {
            SignedJWT jwt = SignedJWT.parse(auth.substring("JWT ".length()));
            issuer = jwt.getJWTClaimsSet().getIssuer();
            String secret = sharedSecrets.get(issuer);
            signatureValid = secret != null && jwt.verify(new MACVerifier(secret.getBytes(StandardCharsets.UTF_8)));
            qshValid = ConnectJwts.qsh("POST", path).equals(jwt.getJWTClaimsSet().getStringClaim("qsh"));
        } catch (Exception invalid) {
            // recorded as invalid
        }
        Delivery delivery = new Delivery(JSON.readTree(body).path("webhookEvent").asText(),
                exchange.getRequestHeaders().getFirst("X-Atlassian-Webhook-Identifier"),
                exchange.getRequestHeaders().getFirst("X-Atlassian-Webhook-Retry"),
                JSON.readTree(body), signatureValid, qshValid, issuer);
        synchronized (deliveries) {
            deliveries.add(delivery);
        }
    }

    private String descriptor() {
        StringBuilder webhooks = new StringBuilder();
        for (String event : EVENTS) {
            if (webhooks.length() > 0) {
                webhooks.append(',');
            }
            webhooks.append("{\"event\":\"").append(event).append("\",\"url\":\"/webhooks/")
                    .append(event.replace(':', '-')).append("\"}");
        }
        return "{\"key\":\"" + KEY + "\",\"name\":\"Recording app\",\"baseUrl\":\"" + url() + "\","
                + "\"authentication\":{\"type\":\"jwt\"},"
                + "\"lifecycle\":{\"installed\":\"/lifecycle/installed\",\"uninstalled\":\"/lifecycle/uninstalled\","
                + "\"enabled\":\"/lifecycle/enabled\",\"disabled\":\"/lifecycle/disabled\"},"
                + "\"modules\":{\"webhooks\":[" + webhooks + "]}}";
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
