package com.triageassistant.support;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

import com.triageassistant.TriageAssistantApplication;
import com.triageassistant.jira.emulator.Http;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The whole app, started in this JVM on a free HTTP port with its own Ignite node. Restart keeps the node's
 * identity and data directory, like restarting the process on the same machine.
 */
public final class AppInstance implements AutoCloseable {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private final NodeSpec node;
    private final Map<String, String> properties;
    private ConfigurableApplicationContext context;

    private AppInstance(NodeSpec node, Map<String, String> properties) {
        this.node = node;
        this.properties = properties;
    }

    public static AppInstance start(NodeSpec node, Map<String, String> extraProperties) {
        Map<String, String> props = new LinkedHashMap<>(node.properties());
        props.put("server.port", "0");
        props.put("addon.base-url", "http://localhost:${local.server.port}");
        props.putAll(extraProperties);
        AppInstance app = new AppInstance(node, props);
        app.context = run(props);
        return app;
    }

    /** Starts the app and returns the exception start-up failed with. */
    public static RuntimeException failToStart(NodeSpec node, Map<String, String> extraProperties) {
        try (AppInstance app = start(node, extraProperties)) {
            throw new AssertionError("the app started");
        } catch (RuntimeException e) {
            return e;
        }
    }

    private static ConfigurableApplicationContext run(Map<String, String> props) {
        String[] args = props.entrySet().stream().map(e -> "--" + e.getKey() + "=" + e.getValue())
                .toArray(String[]::new);
        return new SpringApplicationBuilder(TriageAssistantApplication.class).run(args);
    }

    public AppInstance restart() {
        close();
        context = run(properties);
        return this;
    }

    public String url() {
        return "http://localhost:" + ((WebServerApplicationContext) context).getWebServer().getPort();
    }

    public <T> T bean(Class<T> type) {
        return context.getBean(type);
    }

    public NodeSpec node() {
        return node;
    }

    public HttpResponse<String> get(String pathAndQuery, String jwt) {
        return send(HttpRequest.newBuilder(URI.create(url() + pathAndQuery)).GET(), jwt);
    }

    public HttpResponse<String> post(String path, String jwt, String jsonBody) {
        return send(HttpRequest.newBuilder(URI.create(url() + path))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(jsonBody)), jwt);
    }

    private static HttpResponse<String> send(HttpRequest.Builder request, String jwt) {
        if (jwt != null) {
            request.header("Authorization", "JWT " + jwt);
        }
        return Http.send(HTTP, request.timeout(Duration.ofSeconds(30)).build());
    }

    @Override
    public void close() {
        if (context != null) {
            context.close();
            context = null;
        }
    }
}
