package com.triageassistant.jira.emulator;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
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
    private final ScheduledExecutorService executor = Executors.newScheduledThreadPool(4, runnable -> {
        Thread thread = new Thread(runnable, "jira-emulator-webhooks");
        thread.setDaemon(true);
        return thread;
    });
    private final List<DeliveryAttempt> attempts = Collections.synchronizedList(new ArrayList<>());
    private final List<Delivery> held = new ArrayList<>();
    private final AtomicInteger pending = new AtomicInteger();

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
    }

    /** Queues the event for every webhook the installed app declared for it. */
    void dispatch(String event, ObjectNode payload) {
        InstalledApp installed = app.get();
        if (installed == null) {
            return;
        }
        for (InstalledApp.Webhook webhook : installed.webhooks()) {
            if (webhook.event().equals(event)) {
                Delivery delivery = new Delivery(UUID.randomUUID().toString(), event, webhook.url(),
                        payload.toString());
                pending.incrementAndGet();
                synchronized (held) {
                    if (faults.holding()) {
                        held.add(delivery);
                        continue;
                    }
                }
                start(delivery);
            }
        }
    }

    void releaseHeld(long seed) {
        List<Delivery> release;
        synchronized (held) {
            faults.stopHolding();
            release = new ArrayList<>(held);
            held.clear();
        }
        Collections.shuffle(release, new Random(seed));
        release.forEach(this::start);
    }

    private void start(Delivery delivery) {
        boolean duplicate = faults.takeDuplicate();
        long delayMillis = faults.delay().toMillis();
        executor.schedule(() -> attempt(delivery, 0, false), delayMillis, TimeUnit.MILLISECONDS);
        if (duplicate) {
            pending.incrementAndGet();
            executor.schedule(() -> attempt(delivery, 0, true), delayMillis, TimeUnit.MILLISECONDS);
        }
    }

    private void attempt(Delivery delivery, int retry, boolean duplicate) {
        InstalledApp installed = app.get();
        if (installed == null) {
            pending.decrementAndGet();
            return;
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
        attempts.add(new DeliveryAttempt(delivery.identifier(), delivery.event(), delivery.url(), retry, status,
                error, clock.instant(), drop, duplicate, Duration.ofNanos(System.nanoTime() - started)));
        boolean retryable = status == -1 || RETRIED.contains(status) || status >= 500;
        if (retryable && retry < policy.retryDelays().size() && !executor.isShutdown()) {
            executor.schedule(() -> attempt(delivery, retry + 1, duplicate),
                    policy.retryDelays().get(retry).toMillis(), TimeUnit.MILLISECONDS);
        } else {
            pending.decrementAndGet();
        }
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
        synchronized (attempts) {
            return List.copyOf(attempts);
        }
    }

    /** Waits until every queued delivery succeeded or gave up; held deliveries count as queued. */
    boolean awaitIdle(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (pending.get() > 0) {
            if (System.nanoTime() > deadline) {
                return false;
            }
            Thread.sleep(10);
        }
        return true;
    }

    @Override
    public void close() {
        executor.shutdownNow();
    }
}
