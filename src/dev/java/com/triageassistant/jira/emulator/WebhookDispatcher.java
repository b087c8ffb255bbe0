package com.triageassistant.jira.emulator;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.Supplier;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Delivers a site's webhooks the way Jira Cloud does: signed with the tenant's secret, an identifier that stays
 * the same across retries, retries on 408/409/425/429/5xx and on time-outs, several deliveries in flight at once
 * (so order is not guaranteed).
 */
final class WebhookDispatcher implements AutoCloseable {

    private static final Set<Integer> RETRIED = Set.of(408, 409, 425, 429);

    private final Supplier<InstalledApp> app;
    private final String clientKey;
    private final String sharedSecret;
    private final WebhookPolicy policy;
    private final WebhookFaults faults;
    private final Clock clock;
    private final HttpClient http;
    private final DeliveryQueue<Delivery> queue;

    private record Delivery(String identifier, String event, String url, String body) {
    }

    WebhookDispatcher(Supplier<InstalledApp> app, String clientKey, String sharedSecret, WebhookPolicy policy,
                      WebhookFaults faults, Clock clock) {
        this.app = app;
        this.clientKey = clientKey;
        this.sharedSecret = sharedSecret;
        this.policy = policy;
        this.faults = faults;
        this.clock = clock;
        this.http = HttpClient.newBuilder().connectTimeout(policy.connectTimeout()).build();
        this.queue = new DeliveryQueue<>("jira-emulator-webhooks", faults, policy.retryDelays(), this::attempt);
    }

    /** Queues the event for every webhook the installed app declared for it. */
    void dispatch(String event, ObjectNode payload) {
        InstalledApp installed = app.get();
        if (installed == null) {
            return;
        }
        for (InstalledApp.Webhook webhook : installed.webhooks()) {
            if (webhook.event().equals(event)) {
                queue.offer(new Delivery(UUID.randomUUID().toString(), event, webhook.url(), payload.toString()));
            }
        }
    }

    void releaseHeld(long seed) {
        queue.releaseHeld(seed);
    }

    private DeliveryQueue.Tried attempt(Delivery delivery, int retry, String retryBecause, boolean duplicate) {
        InstalledApp installed = app.get();
        if (installed == null) {
            return null;
        }
        String url = installed.baseUrl() + delivery.url();
        String token = ConnectJwts.hs256(sharedSecret,
                ConnectJwts.claims(clientKey, ConnectJwts.qsh("POST", delivery.url()), Duration.ofMinutes(3))
                        .build());
        boolean drop = faults.takeDrop();
        int status = -1;
        String error = null;
        long started = System.nanoTime();
        try {
            status = drop ? sendAndDrop(url, token, delivery, retry) : send(url, token, delivery, retry);
        } catch (IOException e) {
            error = e.getClass().getSimpleName() + ": " + e.getMessage();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            error = "interrupted";
        }
        boolean retryable = status == -1 || RETRIED.contains(status) || status >= 500;
        return new DeliveryQueue.Tried(new DeliveryAttempt(delivery.identifier(), delivery.event(), delivery.url(),
                retry, status, error, clock.instant(), drop, duplicate, Duration.ofNanos(System.nanoTime() - started)),
                retryable ? "status " + status : null);
    }

    private int send(String url, String token, Delivery delivery, int retry) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url))
                .timeout(policy.responseTimeout())
                .header("Content-Type", "application/json")
                .header("Authorization", "JWT " + token)
                .header("X-Atlassian-Webhook-Identifier", delivery.identifier())
                .header("X-Atlassian-Webhook-Flow", "Primary")
                .POST(HttpRequest.BodyPublishers.ofString(delivery.body()));
        if (retry > 0) {
            request.header("X-Atlassian-Webhook-Retry", String.valueOf(retry));
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    /** Writes the whole request, then closes the connection without reading the answer. */
    private int sendAndDrop(String url, String token, Delivery delivery, int retry) throws IOException {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Content-Type", "application/json");
        headers.put("Authorization", "JWT " + token);
        headers.put("X-Atlassian-Webhook-Identifier", delivery.identifier());
        headers.put("X-Atlassian-Webhook-Flow", "Primary");
        if (retry > 0) {
            headers.put("X-Atlassian-Webhook-Retry", String.valueOf(retry));
        }
        return DroppedRequest.send(URI.create(url), headers, delivery.body(), policy.connectTimeout());
    }

    List<DeliveryAttempt> attempts() {
        return queue.attempts();
    }

    /** Waits until every queued delivery succeeded or gave up; held deliveries count as queued. */
    boolean awaitIdle(Duration timeout) throws InterruptedException {
        return queue.awaitIdle(timeout);
    }

    @Override
    public void close() {
        queue.close();
    }
}
