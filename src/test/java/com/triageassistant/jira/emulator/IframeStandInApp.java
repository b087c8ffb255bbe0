package com.triageassistant.jira.emulator;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * A stand-in for a Connect app with pages, to test the emulator's host pages and AP shim without the real app:
 * its descriptor declares an issue glance ({@code jiraIssueContexts}), a project settings page
 * ({@code jiraProjectAdminTabPanels}) and the update/create webhooks. Its pages only load the site's
 * {@code all.js} (the test drives {@code AP} itself) and it records the URLs its iframes were opened with and the
 * webhooks it got. {@link #foreignOrigin()} is the same server under another origin, for frames that must not be
 * trusted.
 */
final class IframeStandInApp implements AutoCloseable {

    static final String KEY = "stand-in-app";
    static final String GLANCE = "probe-glance";
    static final String ADMIN_PAGE = "probe-admin";

    private final HttpServer server;
    private final List<String> pageRequests = new ArrayList<>();
    private final List<JsonNode> webhooks = new ArrayList<>();

    IframeStandInApp() {
        server = LoopbackHttpServer.create();
        server.setExecutor(Executors.newCachedThreadPool());
        server.createContext("/", this::handle);
        server.start();
    }

    String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    /** This server under another origin (localhost instead of 127.0.0.1). */
    String foreignOrigin() {
        return "http://localhost:" + server.getAddress().getPort();
    }

    /** Path and query of every glance or admin page request, in order. */
    List<String> pageRequests() {
        synchronized (pageRequests) {
            return List.copyOf(pageRequests);
        }
    }

    List<JsonNode> webhooks() {
        synchronized (webhooks) {
            return List.copyOf(webhooks);
        }
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String path = exchange.getRequestURI().getPath();
            byte[] body = exchange.getRequestBody().readAllBytes();
            switch (path) {
                case "/atlassian-connect.json" -> send(exchange, "application/json", descriptor());
                case "/glance", "/admin" -> {
                    synchronized (pageRequests) {
                        pageRequests.add(exchange.getRequestURI().getRawPath() + "?"
                                + exchange.getRequestURI().getRawQuery());
                    }
                    String host = SiteRestApi.params(exchange.getRequestURI().getRawQuery()).get("xdm_e").get(0);
                    send(exchange, "text/html; charset=utf-8",
                            resource("page.html").replace("{{allJs}}", Html.escape(host + "/atlassian-connect/all.js")));
                }
                case "/foreign" -> send(exchange, "text/html; charset=utf-8", resource("foreign.html"));
                case "/webhooks/issue-updated", "/webhooks/issue-created" -> {
                    synchronized (webhooks) {
                        webhooks.add(AppClient.json(new String(body, StandardCharsets.UTF_8)));
                    }
                    exchange.sendResponseHeaders(204, -1);
                }
                default -> exchange.sendResponseHeaders(path.startsWith("/lifecycle/") ? 204 : 404, -1);
            }
        }
    }

    private String descriptor() {
        return Html.fill(resource("descriptor.json"), Map.of("baseUrl", url())).toString();
    }

    private static String resource(String name) {
        try (InputStream in = IframeStandInApp.class.getResourceAsStream("/iframe-stand-in/" + name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void send(HttpExchange exchange, String type, String text) throws IOException {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", type);
        exchange.sendResponseHeaders(200, bytes.length);
        exchange.getResponseBody().write(bytes);
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
