package com.triageassistant.jira.emulator;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Supplier;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Sends a site's Forge invocations (events, lifecycle events, scheduled triggers) to the app's remote the way
 * Forge's remote contract describes: POST to the endpoint's route, a fresh Forge Invocation Token per attempt, the
 * app system token when the endpoint asks for it, a 5 s time-out, up to 4 retries on non-2xx or time-out, each
 * retry's body carrying {@code retryContext}. The site's {@link WebhookFaults} for Forge (duplicate, drop, delay,
 * hold and reorder) apply as they do to webhooks.
 */
final class ForgeInvoker implements AutoCloseable {

    private final Supplier<ForgeInstallation> installation;
    private final Supplier<ForgePlatform> platform;
    private final ForgeDeliveryPolicy policy;
    private final WebhookFaults faults;
    private final Clock clock;
    private final Duration connectTimeout;
    /** Made on first use: every site has an invoker, few ever have a Forge app, and a client holds a thread. */
    private HttpClient http;
    private final DeliveryQueue<Invocation> queue;

    /**
     * One invocation of a module, bound to the installation it was made for: after an uninstall (or a reinstall,
     * which is a new installation) its remaining attempts are not sent.
     */
    record Invocation(String identifier, String installationId, String event, ForgeManifest.Endpoint endpoint,
                      String moduleType, String moduleKey, ObjectNode body) {
    }

    ForgeInvoker(Supplier<ForgeInstallation> installation, Supplier<ForgePlatform> platform,
                 ForgeDeliveryPolicy policy, WebhookFaults faults, Clock clock) {
        this.installation = installation;
        this.platform = platform;
        this.policy = policy;
        this.faults = faults;
        this.clock = clock;
        this.connectTimeout = policy.connectTimeout();
        this.queue = new DeliveryQueue<>("jira-emulator-forge-events", faults, policy.retryDelays(), this::attempt);
    }

    /** Queues one invocation of the installation's module. */
    void invoke(ForgeInstallation target, String event, ForgeManifest.Endpoint endpoint, String moduleType,
                String moduleKey, ObjectNode body) {
        queue.offer(new Invocation(UUID.randomUUID().toString(), target.installationId(), event, endpoint,
                moduleType, moduleKey, body));
    }

    void releaseHeld(long seed) {
        queue.releaseHeld(seed);
    }

    /** @param retryReason why the previous attempt failed; null on the first attempt */
    private DeliveryQueue.Tried attempt(Invocation invocation, int retry, String retryReason, boolean duplicate) {
        ForgeInstallation current = installation.get();
        if (current == null || !current.installationId().equals(invocation.installationId())) {
            return null;
        }
        ObjectNode body = invocation.body().deepCopy();
        if (retry > 0) {
            body.putObject("retryContext").put("retryCount", retry).put("retryReason", retryReason)
                    .putNull("retryData");
        }
        ForgePlatform forge = platform.get();
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Content-Type", "application/json");
        headers.put("Authorization", "Bearer "
                + forge.mintInvocationToken(current, invocation.moduleType(), invocation.moduleKey()));
        if (invocation.endpoint().appSystemToken()) {
            headers.put("x-forge-oauth-system", forge.systemTokenFor(current));
        }
        URI uri = URI.create(current.url(invocation.endpoint()));
        boolean drop = faults.takeDrop();
        int status = -1;
        String error = null;
        String failure = null;
        long started = System.nanoTime();
        try {
            status = drop ? DroppedRequest.send(uri, headers, body.toString(), policy.connectTimeout())
                    : send(uri, headers, body.toString());
            failure = status / 100 == 2 ? null
                    : status == 401 ? "INVALID_FORGE_INVOCATION_TOKEN" : "INVALID_REMOTE_INVOCATION_ERROR";
        } catch (HttpTimeoutException e) {
            error = "time-out after " + policy.responseTimeout().toMillis() + " ms";
            failure = "TIMEOUT_ERROR";
        } catch (IOException e) {
            error = e.getClass().getSimpleName() + ": " + e.getMessage();
            failure = "INVALID_REMOTE_INVOCATION_ERROR";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            error = "interrupted";
            failure = "INVALID_REMOTE_INVOCATION_ERROR";
        }
        return new DeliveryQueue.Tried(new DeliveryAttempt(invocation.identifier(), invocation.event(),
                invocation.endpoint().path(), retry, status, error, clock.instant(), drop, duplicate,
                Duration.ofNanos(System.nanoTime() - started)), failure);
    }

    private int send(URI uri, Map<String, String> headers, String body) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(policy.responseTimeout())
                .POST(HttpRequest.BodyPublishers.ofString(body));
        headers.forEach(request::header);
        return http().send(request.build(), HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    private synchronized HttpClient http() {
        if (http == null) {
            http = HttpClient.newBuilder().connectTimeout(connectTimeout).build();
        }
        return http;
    }

    List<DeliveryAttempt> attempts() {
        return queue.attempts();
    }

    /** Waits until every queued invocation succeeded or gave up; held ones count as queued. */
    boolean awaitIdle(Duration timeout) throws InterruptedException {
        return queue.awaitIdle(timeout);
    }

    @Override
    public void close() {
        queue.close();
    }
}
