package com.triageassistant.ingest;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import com.atlassian.connect.spring.AddonUninstalledEvent;
import com.atlassian.connect.spring.AtlassianHost;
import com.atlassian.connect.spring.AtlassianHostRestClients;
import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Scheduler;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.boot.web.client.RestTemplateBuilder;
import org.springframework.context.event.EventListener;
import org.springframework.http.HttpHeaders;
import org.springframework.http.client.ClientHttpRequestInterceptor;
import org.springframework.http.client.ClientHttpResponse;
import org.springframework.stereotype.Component;
import org.springframework.web.client.RestTemplate;

/**
 * The RestTemplate the app calls a tenant's Jira with, as the app: signed with the tenant's shared secret for a
 * Connect tenant (ACSB), or with the current Forge app token against the installation's API base URL. Callers
 * give relative paths ({@code /rest/api/3/...}) either way.
 */
@Component
public class JiraTemplates {

    /** A tenant's template, valid while its host has this base URL and secret (a re-install changes them). */
    private record Kept(String baseUrl, String secret, RestTemplate rest) {
    }

    private final AtlassianHostRestClients connect;
    private final BearerCredentials bearer;
    private final RestTemplateBuilder builder;
    private final JiraCallMeter connectCalls;
    private final JiraCallMeter forgeCalls;
    /**
     * Per tenant; an uninstall drops its entry here, and an entry unused for an hour goes anyway, so that no node of
     * a cluster holds a departed tenant's shared secret for long (the uninstall reaches one node only).
     */
    private final Cache<String, Kept> templates = Caffeine.newBuilder()
            .expireAfterAccess(Duration.ofHours(1)).scheduler(Scheduler.systemScheduler()).build();

    JiraTemplates(AtlassianHostRestClients connect, BearerCredentials bearer, RestTemplateBuilder builder,
                  MeterRegistry meters) {
        this.connect = connect;
        this.bearer = bearer;
        this.builder = builder;
        this.connectCalls = new JiraCallMeter(meters, "connect");
        this.forgeCalls = new JiraCallMeter(meters, "forge");
    }

    /**
     * ACSB builds a new RestTemplate for every call as a host (its message converters looked up through the
     * class path's service loaders each time: two thirds of the call's own CPU); one per tenant is kept instead.
     */
    public RestTemplate forHost(AtlassianHost host) {
        String clientKey = host.getClientKey();
        Optional<String> apiBaseUrl = bearer.apiBaseUrl(clientKey);
        String baseUrl = apiBaseUrl.orElse(host.getBaseUrl());
        String secret = apiBaseUrl.isPresent() ? "" : host.getSharedSecret();
        Kept kept = templates.getIfPresent(clientKey);
        if (kept != null && kept.baseUrl().equals(baseUrl) && kept.secret().equals(secret)) {
            return kept.rest();
        }
        RestTemplate rest;
        if (apiBaseUrl.isPresent()) {
            // timed inside the token's interceptor: a call that found no token never went to Jira
            rest = builder.rootUri(baseUrl).additionalInterceptors(bearerToken(clientKey), forgeCalls).build();
        } else {
            rest = connect.authenticatedAsAddon(host);
            List<ClientHttpRequestInterceptor> interceptors = new ArrayList<>(rest.getInterceptors());
            interceptors.add(connectCalls);
            rest.setInterceptors(interceptors);
        }
        templates.put(clientKey, new Kept(baseUrl, secret, rest));
        return rest;
    }

    /**
     * A path of Atlassian's platform API rather than of the site's REST API (the personal data reporting API): on
     * the site for a Connect tenant, at the root of the API gateway ({@code https://api.atlassian.com}) for a Forge
     * one, whose API base URL is {@code <gateway>/ex/jira/<cloudId>}.
     */
    public String platformPath(AtlassianHost host, String path) {
        return bearer.apiBaseUrl(host.getClientKey()).map(base -> {
            int product = base.indexOf("/ex/");
            return (product < 0 ? base : base.substring(0, product)) + path;
        }).orElse(path);
    }

    /**
     * Adds the tenant's current app token to each request. Without a fresh one the call fails as an I/O error, which
     * callers already treat as "Jira unavailable, back off"; a token Jira refuses is reported so it is never reused.
     */
    private ClientHttpRequestInterceptor bearerToken(String clientKey) {
        return (request, body, execution) -> {
            String token = bearer.freshToken(clientKey)
                    .orElseThrow(() -> new IOException("no fresh Forge app token for this installation"));
            request.getHeaders().set(HttpHeaders.AUTHORIZATION, "Bearer " + token);
            ClientHttpResponse response = execution.execute(request, body);
            if (response.getStatusCode().value() == 401) {
                bearer.refused(clientKey, token);
            }
            return response;
        };
    }

    @EventListener
    void forgetUninstalled(AddonUninstalledEvent event) {
        templates.invalidate(event.getHost().getClientKey());
    }

    /** Whether this node holds a signing client (and so the shared secret) of the tenant. */
    boolean holds(String clientKey) {
        return templates.getIfPresent(clientKey) != null;
    }
}
