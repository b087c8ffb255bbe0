package com.triageassistant.jira.emulator;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.security.interfaces.RSAPublicKey;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.RSAKey;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * Plays Atlassian's Forge platform for a remote backend, one per {@link JiraEmulator} (like the
 * {@link InstallKeyServer} for Connect): publishes the keys Forge Invocation Tokens are signed with at
 * {@code /.well-known/jwks.json} (with rotation), issues app system tokens, and stands in for
 * {@code api.atlassian.com}: {@code /ex/jira/{cloudId}/...} reaches the REST API of the site with that cloud id,
 * authenticated by a system token of that site's installation and acting as the app's user.
 */
public final class ForgePlatform implements AutoCloseable {

    private static final String EX_JIRA = "/ex/jira/";
    /** The personal data reporting API sits at the gateway's root, for the token's installation's site. */
    private static final String REPORT_ACCOUNTS = "/app/report-accounts/";

    private final Clock clock;
    private final HttpServer server;
    private final ExecutorService serverThreads;
    private final AppSystemTokens tokens;
    /** Published keys, oldest first; the last one signs. */
    private final List<InstallKeyServer.SigningKey> keys = new ArrayList<>();
    private final Map<String, ForgeInstallation> activeInstallations = new ConcurrentHashMap<>();
    /** Every site that ever had the app, by cloud id: a refused call is still recorded on its site. */
    private final Map<String, EmulatedSite> sitesByCloudId = new ConcurrentHashMap<>();
    private final List<AppRequest> calls = Collections.synchronizedList(new ArrayList<>());

    /** @param port 0 for any free loopback port; a fixed one lets an app be configured before the emulator starts */
    ForgePlatform(int port, Clock clock) {
        this.clock = clock;
        this.tokens = new AppSystemTokens(clock);
        keys.add(InstallKeyServer.SigningKey.generate());
        server = LoopbackHttpServer.create(port);
        serverThreads = Executors.newFixedThreadPool(8, runnable -> {
            Thread thread = new Thread(runnable, "forge-platform");
            thread.setDaemon(true);
            return thread;
        });
        server.setExecutor(serverThreads);
        server.createContext("/.well-known/jwks.json", this::jwks);
        server.createContext(EX_JIRA, this::exJira);
        server.createContext(REPORT_ACCOUNTS, this::reportAccounts);
        server.start();
    }

    public String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    /** For the app's {@code atlassian.connect.forge-invocation-token-jwks-url}. */
    public String jwksUrl() {
        return url() + "/.well-known/jwks.json";
    }

    /** The {@code app.apiBaseUrl} of a FIT for this site. */
    public String apiBaseUrl(String cloudId) {
        return url() + EX_JIRA + cloudId;
    }

    // ---- keys ----

    /** The key FITs are signed with now. */
    public synchronized InstallKeyServer.SigningKey currentKey() {
        return keys.get(keys.size() - 1);
    }

    /** Publishes a new key (new kid) and signs with it from now on; older keys stay published until retired. */
    public synchronized InstallKeyServer.SigningKey rotateKey() {
        InstallKeyServer.SigningKey key = InstallKeyServer.SigningKey.generate();
        keys.add(key);
        return key;
    }

    /** Stops publishing every key but the current one: tokens signed with them no longer verify. */
    public synchronized void retireOldKeys() {
        InstallKeyServer.SigningKey current = currentKey();
        keys.clear();
        keys.add(current);
    }

    public synchronized List<String> publishedKids() {
        return keys.stream().map(InstallKeyServer.SigningKey::kid).toList();
    }

    // ---- tokens ----

    /** How long app system tokens live (default one hour); applies to tokens issued from now on. */
    public void tokenLifetime(Duration lifetime) {
        tokens.lifetime(lifetime);
    }

    public Duration tokenLifetime() {
        return tokens.lifetime();
    }

    /** Ends every system token issued so far: the app's calls with them get 401, invocations carry new ones. */
    public void expireTokens() {
        tokens.expireAll();
    }

    /** A new system token for the site's installation, as a test's stand-in for what an invocation carries. */
    public String issueSystemToken(EmulatedSite site) {
        return tokens.issue(requireInstallation(site));
    }

    /**
     * A FIT builder filled in as the platform would for this module of the site's installation (no principal, no
     * extension: add them for UI calls); sign it with {@link #currentKey()} for a genuine token, or change one
     * thing for an attack.
     */
    public ForgeInvocationTokens.Builder invocationToken(EmulatedSite site, String moduleType, String moduleKey) {
        return invocationToken(requireInstallation(site), moduleType, moduleKey);
    }

    ForgeInvocationTokens.Builder invocationToken(ForgeInstallation installation, String moduleType,
                                                  String moduleKey) {
        return ForgeInvocationTokens.builder(clock)
                .appId(installation.appId()).appVersion(installation.appVersion())
                .installationId(installation.installationId()).apiBaseUrl(apiBaseUrl(installation.cloudId()))
                .environment(installation.environmentType(), installation.environmentId())
                .module(moduleType, moduleKey).site(installation.cloudId(), installation.siteUrl());
    }

    /** A genuine FIT for one invocation. */
    String mintInvocationToken(ForgeInstallation installation, String moduleType, String moduleKey) {
        return invocationToken(installation, moduleType, moduleKey).signedWith(currentKey());
    }

    /** The system token an invocation carries: cached, re-issued as it nears expiry. */
    String systemTokenFor(ForgeInstallation installation) {
        return tokens.current(installation);
    }

    // ---- installations ----

    void register(ForgeInstallation installation, EmulatedSite site) {
        sitesByCloudId.put(installation.cloudId(), site);
        activeInstallations.put(installation.installationId(), installation);
    }

    /** After uninstall: every token of the installation is refused from now on. */
    void revoke(ForgeInstallation installation) {
        activeInstallations.remove(installation.installationId());
        tokens.forget(installation.installationId());
    }

    private ForgeInstallation requireInstallation(EmulatedSite site) {
        return site.forgeInstallation()
                .orElseThrow(() -> new IllegalStateException("the Forge app is not installed on " + site.name()));
    }

    /** Every call through {@code /ex/jira/...}, refused ones included, with its full path and bearer token. */
    public List<AppRequest> apiCalls() {
        synchronized (calls) {
            return List.copyOf(calls);
        }
    }

    // ---- HTTP ----

    private void jwks(HttpExchange exchange) throws IOException {
        try (exchange) {
            List<JWK> published = new ArrayList<>();
            synchronized (this) {
                for (InstallKeyServer.SigningKey key : keys) {
                    published.add(new RSAKey.Builder((RSAPublicKey) key.pair().getPublic()).keyID(key.kid())
                            .algorithm(JWSAlgorithm.RS256).keyUse(KeyUse.SIGNATURE).build());
                }
            }
            // JWKSet.toString() renders public keys only.
            send(exchange, 200, new JWKSet(published).toString());
        }
    }

    private void exJira(HttpExchange exchange) throws IOException {
        String fullPath = exchange.getRequestURI().getRawPath();
        String rest = fullPath.substring(EX_JIRA.length());
        int slash = rest.indexOf('/');
        String cloudId = slash < 0 ? rest : rest.substring(0, slash);
        String sitePath = sitePath(fullPath);
        String header = exchange.getRequestHeaders().getFirst("Authorization");
        String token = header != null && header.startsWith("Bearer ") ? header.substring("Bearer ".length()) : null;
        ForgeInstallation installation;
        try {
            AppSystemTokens.Issued issued = tokens.verify(token);
            installation = activeInstallations.get(issued.installationId());
            if (installation == null) {
                throw AppSystemTokens.unauthorized("the app is not installed");
            }
            if (!installation.cloudId().equals(cloudId)) {
                throw AppSystemTokens.unauthorized("token not valid for this site");
            }
        } catch (JiraRequestException refused) {
            try (exchange) {
                refuse(exchange, fullPath, cloudId, token, refused.errorMessages().get(0));
            }
            return;
        }
        EmulatedSite site = sitesByCloudId.get(cloudId);
        if (!sitePath.startsWith("/rest/")) {
            try (exchange) {
                record(site, exchange, fullPath, sitePath, 404, installation.appAccountId(), token);
                send(exchange, 404, error(404, "Not found"));
            }
            return;
        }
        AppRequest answered = site.restApi().handleForge(exchange, sitePath, installation.appAccountId(), token);
        calls.add(answered.withPath(fullPath));
    }

    private void reportAccounts(HttpExchange exchange) throws IOException {
        String fullPath = exchange.getRequestURI().getRawPath();
        String header = exchange.getRequestHeaders().getFirst("Authorization");
        String token = header != null && header.startsWith("Bearer ") ? header.substring("Bearer ".length()) : null;
        ForgeInstallation installation;
        try {
            installation = activeInstallations.get(tokens.verify(token).installationId());
            if (installation == null) {
                throw AppSystemTokens.unauthorized("the app is not installed");
            }
        } catch (JiraRequestException refused) {
            try (exchange) {
                record(null, exchange, fullPath, fullPath, 401, null, token);
                send(exchange, 401, error(401, refused.errorMessages().get(0)));
            }
            return;
        }
        EmulatedSite site = sitesByCloudId.get(installation.cloudId());
        calls.add(site.restApi().handleForge(exchange, fullPath, installation.appAccountId(), token));
    }

    private void refuse(HttpExchange exchange, String fullPath, String cloudId, String token, String reason)
            throws IOException {
        record(sitesByCloudId.get(cloudId), exchange, fullPath, sitePath(fullPath), 401, null, token);
        send(exchange, 401, error(401, reason));
    }

    /** A call the platform answered itself, recorded here and, when the cloud id names a site, on that site. */
    private void record(EmulatedSite site, HttpExchange exchange, String fullPath, String sitePath, int status,
                        String accountId, String token) throws IOException {
        String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        AppRequest request = new AppRequest(Instant.now(), exchange.getRequestMethod(), sitePath,
                exchange.getRequestURI().getRawQuery(), body, status, accountId, AppRequest.Route.FORGE, token);
        calls.add(request.withPath(fullPath));
        if (site != null) {
            site.record(request);
        }
    }

    /** The site-relative part of {@code /ex/jira/{cloudId}/...}. */
    private static String sitePath(String fullPath) {
        String rest = fullPath.substring(EX_JIRA.length());
        int slash = rest.indexOf('/');
        return slash < 0 ? "/" : rest.substring(slash);
    }

    /** The shape of api.atlassian.com's own refusals: a code and a message. */
    private static String error(int status, String message) {
        ObjectNode error = JiraJson.MAPPER.createObjectNode().put("code", status).put("message", message);
        return error.toString();
    }

    private static void send(HttpExchange exchange, int status, String json) throws IOException {
        byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", "application/json;charset=UTF-8");
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    @Override
    public void close() {
        server.stop(0);
        serverThreads.shutdownNow();
    }
}
