package com.triageassistant.jira.emulator;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntSupplier;
import java.util.function.Predicate;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * A minimal Forge remote for exercising the emulator's Forge platform on its own (as {@link RecordingApp} is for
 * Connect): records every invocation with its path, tokens and body, and answers with statuses the caller chooses.
 * It checks nothing; tests verify what it recorded.
 */
public final class RecordingForgeRemote implements AutoCloseable {

    /**
     * @param fit         the Forge Invocation Token from {@code Authorization: Bearer}
     * @param systemToken the {@code x-forge-oauth-system} header, or null
     */
    public record Invocation(String path, String contentType, String fit, String systemToken, JsonNode body) {

        public String eventType() {
            return body.path("eventType").asText(null);
        }

        /** Leaves the tokens out: records end up in assertion messages. */
        @Override
        public String toString() {
            return "Invocation[" + path + " " + body + "]";
        }
    }

    private final HttpServer server;
    private final List<Invocation> invocations = new ArrayList<>();
    private volatile IntSupplier status = () -> 200;
    private volatile long delayMillis;
    private volatile long slowMillis;
    private final AtomicInteger slowRemaining = new AtomicInteger();

    public RecordingForgeRemote() {
        // LoopbackHttpServer turns Nagle off; the JDK reads that setting once, so the first server made decides.
        server = LoopbackHttpServer.create();
        server.setExecutor(Executors.newCachedThreadPool());
        server.createContext("/", this::handle);
        server.start();
    }

    /** The remote's base URL, for {@link EmulatedSite#installForge}. */
    public String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    /** Each invocation is answered with the next value of this supplier. */
    public void answerWith(IntSupplier status) {
        this.status = status;
    }

    public void delayAnswers(long millis) {
        this.delayMillis = millis;
    }

    /** The next {@code n} invocations are answered only after {@code millis} (e.g. past Forge's time-out). */
    public void delayNext(int n, long millis) {
        slowMillis = millis;
        slowRemaining.set(n);
    }

    public List<Invocation> invocations() {
        synchronized (invocations) {
            return List.copyOf(invocations);
        }
    }

    /** Waits until at least {@code count} invocations match; returns those that do. */
    public List<Invocation> await(Predicate<Invocation> filter, int count, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            List<Invocation> matching = invocations().stream().filter(filter).toList();
            if (matching.size() >= count || System.nanoTime() > deadline) {
                return matching;
            }
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return matching;
            }
        }
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            byte[] body = exchange.getRequestBody().readAllBytes();
            String auth = exchange.getRequestHeaders().getFirst("Authorization");
            Invocation invocation = new Invocation(exchange.getRequestURI().getPath(),
                    exchange.getRequestHeaders().getFirst("Content-Type"),
                    auth != null && auth.startsWith("Bearer ") ? auth.substring("Bearer ".length()) : null,
                    exchange.getRequestHeaders().getFirst("x-forge-oauth-system"),
                    JiraJson.MAPPER.readTree(body.length == 0 ? "{}".getBytes() : body));
            synchronized (invocations) {
                invocations.add(invocation);
            }
            long delay = slowRemaining.getAndUpdate(n -> Math.max(0, n - 1)) > 0 ? slowMillis : delayMillis;
            if (delay > 0) {
                Thread.sleep(delay);
            }
            exchange.sendResponseHeaders(status.getAsInt(), -1);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
