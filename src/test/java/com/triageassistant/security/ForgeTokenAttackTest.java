package com.triageassistant.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.stream.Stream;

import com.triageassistant.ingest.IssueStore;
import com.triageassistant.jira.emulator.ConnectJwts;
import com.triageassistant.jira.emulator.EmulatedIssue;
import com.triageassistant.jira.emulator.EmulatedSite;
import com.triageassistant.jira.emulator.EmulatedUser;
import com.triageassistant.jira.emulator.ForgeInvocationTokens;
import com.triageassistant.jira.emulator.ForgePlatform;
import com.triageassistant.jira.emulator.Http;
import com.triageassistant.jira.emulator.InstallKeyServer;
import com.triageassistant.jira.emulator.JiraEmulator;
import com.triageassistant.store.IgniteSql;
import com.triageassistant.store.TenantDataEraser;
import com.triageassistant.support.AppInstance;
import com.triageassistant.support.EmulatorTrust;
import com.triageassistant.support.NodeSpec;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Forged, stale and misused Forge Invocation Tokens on every Forge endpoint, and Forge tokens on Connect endpoints:
 * each is refused with 401 and changes no row of any tenant (nor registers a new one). Each token differs from the
 * one Forge would send in exactly one way; the last test sends the genuine ones and shows they get through.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ForgeTokenAttackTest {

    static final Path MANIFEST = EmulatorTrust.FORGE_MANIFEST;

    @TempDir
    static Path dataDir;

    static JiraEmulator jira;
    static ForgePlatform forge;
    static AppInstance app;
    static EmulatedSite a;
    static EmulatedSite b;
    static EmulatedSite connect;
    static EmulatedIssue issueOfB;
    static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    /** A Forge endpoint of the manifest, with a body Forge would send it. */
    record Endpoint(String path, String moduleType, String moduleKey, String body) {
        @Override
        public String toString() {
            return path;
        }
    }

    @BeforeAll
    static void start() {
        jira = new JiraEmulator();
        forge = jira.forge();
        app = AppInstance.start(NodeSpec.single(dataDir), EmulatorTrust.properties(jira, Map.of(
                "triage.forge.jwks-min-refresh", "1s",
                "triage.ml.enabled", "false")));
        a = forgeSite("forge-a");
        b = forgeSite("forge-b");
        issueOfB = b.issues("SEC").get(0);
        connect = jira.createSite("connect-c");
        connect.createProject("SEC", "Sec", List.of("Bug"), List.of("api"));
        assertThat(connect.install(app.url())).isEqualTo(204);
        // Settled before any attack: backfills done, and each installation's app account learnt.
        IgniteSql sql = app.bean(IgniteSql.class);
        await().atMost(Duration.ofSeconds(60)).until(() -> sql.query("SELECT COUNT(*) FROM backfill_state "
                + "WHERE state <> 'DONE'", row -> row.longValue(0)).get(0) == 0
                && sql.query("SELECT COUNT(*) FROM backfill_state", row -> row.longValue(0)).get(0) == 3
                && sql.query("SELECT COUNT(*) FROM forge_installation WHERE app_account_id IS NULL",
                        row -> row.longValue(0)).get(0) == 0);
    }

    private static EmulatedSite forgeSite(String name) {
        EmulatedSite site = jira.createSite(name);
        EmulatedUser person = site.createUser("Person of " + name);
        site.createProject("SEC", "Sec", List.of("Bug"), List.of("api"));
        site.makeAssignable("SEC", person.accountId());
        site.createIssue("SEC", "Bug", name + " crash", null, List.of("api"), List.of(), "Medium", null,
                person.accountId());
        site.installForge(MANIFEST, app.url());
        assertThat(site.awaitForgeEvents(Duration.ofSeconds(30))).isTrue();
        String tenant = installationId(site);
        await().atMost(Duration.ofSeconds(60)).until(() -> app.bean(IssueStore.class)
                .countLive(tenant, "SEC") == 1);
        return site;
    }

    @AfterAll
    static void stop() {
        app.close();
        jira.close();
    }

    static Stream<Endpoint> endpoints() {
        return Stream.of(
                new Endpoint("/forge/lifecycle", "core:trigger", "app-lifecycle",
                        "{\"eventType\":\"avi:forge:installed:app\",\"id\":\"x\"}"),
                new Endpoint("/forge/events", "core:trigger", "issue-events", createdEvent(990_001, "SEC-990")),
                new Endpoint("/forge/keepalive", "core:scheduledTrigger", "keepalive", "{}"));
    }

    // ---- forged and stale tokens on every Forge endpoint ----

    @ParameterizedTest
    @MethodSource("endpoints")
    @Order(1)
    void signedWithAKeyForgeDoesNotPublishUnderAPublishedKid(Endpoint endpoint) {
        InstallKeyServer.SigningKey stranger = InstallKeyServer.SigningKey.generate();
        refused(endpoint, fit(a, endpoint).signedWith(stranger, forge.currentKey().kid()));
    }

    @ParameterizedTest
    @MethodSource("endpoints")
    @Order(1)
    void signedWithAnUnknownKid(Endpoint endpoint) {
        refused(endpoint, fit(a, endpoint).signedWith(InstallKeyServer.SigningKey.generate()));
    }

    @ParameterizedTest
    @MethodSource("endpoints")
    @Order(1)
    void forAnotherApp(Endpoint endpoint) {
        refused(endpoint, fit(a, endpoint).audience("ari:cloud:ecosystem::app/" + UUID.randomUUID())
                .signedWith(forge.currentKey()));
    }

    @ParameterizedTest
    @MethodSource("endpoints")
    @Order(1)
    void fromAnotherIssuer(Endpoint endpoint) {
        refused(endpoint, fit(a, endpoint).issuer("forge/not-invocation-token").signedWith(forge.currentKey()));
    }

    @ParameterizedTest
    @MethodSource("endpoints")
    @Order(1)
    void expired(Endpoint endpoint) {
        refused(endpoint, fit(a, endpoint).expired().signedWith(forge.currentKey()));
    }

    @ParameterizedTest
    @MethodSource("endpoints")
    @Order(1)
    void notYetValid(Endpoint endpoint) {
        refused(endpoint, fit(a, endpoint).notBefore(Instant.now().plus(Duration.ofMinutes(10)))
                .signedWith(forge.currentKey()));
    }

    @ParameterizedTest
    @MethodSource("endpoints")
    @Order(1)
    void withoutExpiry(Endpoint endpoint) {
        refused(endpoint, fit(a, endpoint).without("exp").signedWith(forge.currentKey()));
    }

    @ParameterizedTest
    @MethodSource("endpoints")
    @Order(1)
    void unsignedWithAlgNone(Endpoint endpoint) {
        refused(endpoint, fit(a, endpoint).unsigned());
    }

    @ParameterizedTest
    @MethodSource("endpoints")
    @Order(1)
    void hs256WithAGuessableSecret(Endpoint endpoint) {
        refused(endpoint, fit(a, endpoint).hs256("secret".repeat(8), forge.currentKey().kid()));
    }

    @ParameterizedTest
    @MethodSource("endpoints")
    @Order(1)
    void withoutAnyToken(Endpoint endpoint) {
        refused(endpoint, null, "Bearer");
        refused(endpoint, null, null);
    }

    @ParameterizedTest
    @MethodSource("endpoints")
    @Order(1)
    void aConnectJwtWhereAForgeTokenIsRequired(Endpoint endpoint) {
        String token = connect.requestToken("POST", endpoint.path(), null);
        refused(endpoint, token, "JWT");
        refused(endpoint, token, "Bearer");
    }

    // ---- Forge tokens where Connect JWTs are required ----

    @Test
    @Order(2)
    void aForgeTokenWhereAConnectJwtIsRequired() {
        Object before = state();
        String fit = fit(a, endpoints().toList().get(1)).signedWith(forge.currentKey());
        for (String[] call : new String[][]{{"GET", "/api/tenant"}, {"GET", "/api/ingest/status"},
                {"GET", "/glance?issueId=1&issueKey=SEC-1&projectKey=SEC"},
                {"GET", "/admin/project?projectKey=SEC"}, {"POST", "/webhooks/issue-created"},
                {"POST", "/installed"}, {"POST", "/api/projects/SEC/train"}}) {
            String body = call[1].equals("/installed") ? installedBody(connect)
                    : call[0].equals("POST") ? createdEvent(990_002, "SEC-991") : null;
            for (String scheme : new String[]{"Bearer ", "JWT "}) {
                HttpResponse<String> response = send(call[0], call[1], scheme + fit, body, Map.of());
                assertThat(response.statusCode()).as(scheme + call[1]).isEqualTo(401);
            }
        }
        assertThat(state()).isEqualTo(before);
    }

    @Test
    @Order(2)
    void aConnectJwtNamingAForgeTenantIsRefused() {
        Object before = state();
        String path = "/api/tenant";
        for (String guess : new String[]{"", "secret", installationId(a)}) {
            String token = ConnectJwts.hs256(guess.isEmpty() ? "x".repeat(32) : guess.repeat(8),
                    ConnectJwts.claims(installationId(a), ConnectJwts.qsh("GET", path), Duration.ofMinutes(3))
                            .build());
            assertThat(send("GET", path, "JWT " + token, null, Map.of()).statusCode()).isEqualTo(401);
        }
        assertThat(state()).isEqualTo(before);
    }

    // ---- one installation's token with another's ids ----

    /**
     * The event's issue is only a pointer: the app reads it from the caller's own Jira, so a body naming another
     * site's issue (or claiming any content) stores what the caller's Jira holds under that id, and nothing of B.
     */
    @Test
    @Order(3)
    void oneInstallationsTokenWithAnothersIssueIsNeutralised() {
        Map<String, List<String>> bBefore = rows(installationId(b));
        Endpoint events = endpoints().toList().get(1);
        String body = createdEvent(issueOfB.id(), issueOfB.key()).replace("Forged summary", "Written by A");
        EmulatedIssue sameIdInA = a.issues("SEC").stream().filter(issue -> issue.id() == issueOfB.id())
                .findFirst().orElseThrow();
        long deliveriesBefore = inboxRows(installationId(a));

        HttpResponse<String> response = post(events, fit(a, events).signedWith(forge.currentKey()), body);

        assertThat(response.statusCode()).isEqualTo(204);
        await().atMost(Duration.ofSeconds(10)).until(() -> inboxRows(installationId(a)) > deliveriesBefore
                && app.bean(IgniteSql.class).query("SELECT COUNT(*) FROM webhook_inbox WHERE state = 'PENDING'",
                        row -> row.longValue(0)).get(0) == 0);
        IssueStore store = app.bean(IssueStore.class);
        assertThat(store.find(installationId(a), issueOfB.id()).orElseThrow().summary())
                .isEqualTo(sameIdInA.summary()).isNotEqualTo("Written by A");
        assertThat(rows(installationId(b))).isEqualTo(bBefore);
    }

    // ---- the genuine tokens get through ----

    @ParameterizedTest
    @MethodSource("endpoints")
    @Order(4)
    void theGenuineTokenGetsThrough(Endpoint endpoint) {
        HttpResponse<String> response = post(endpoint, fit(a, endpoint).signedWith(forge.currentKey()),
                endpoint.body());
        assertThat(response.statusCode()).isEqualTo(204);
    }

    @Test
    @Order(5)
    void aRotatedKeyIsFetchedOnItsFirstUseAndTheOldOneStillServesUntilRetired() {
        Endpoint keepalive = endpoints().toList().get(2);
        InstallKeyServer.SigningKey old = forge.currentKey();
        InstallKeyServer.SigningKey rotated = forge.rotateKey();

        // Keys are cached for 15 minutes; a token naming a new kid refreshes them (at most once a second here).
        await().atMost(Duration.ofSeconds(10)).until(() ->
                post(keepalive, fit(a, keepalive).signedWith(rotated), "{}").statusCode() == 204);
        assertThat(post(keepalive, fit(a, keepalive).signedWith(old), "{}").statusCode()).isEqualTo(204);
    }

    // ---- helpers ----

    private static ForgeInvocationTokens.Builder fit(EmulatedSite site, Endpoint endpoint) {
        return forge.invocationToken(site, endpoint.moduleType(), endpoint.moduleKey());
    }

    private static void refused(Endpoint endpoint, String token) {
        refused(endpoint, token, "Bearer");
    }

    private static void refused(Endpoint endpoint, String token, String scheme) {
        Object before = state();
        Map<String, String> headers = new java.util.HashMap<>();
        headers.put("x-forge-oauth-system", forge.issueSystemToken(a));
        String authorization = scheme == null ? null : token == null ? scheme : scheme + " " + token;
        HttpResponse<String> response = send("POST", endpoint.path(), authorization, endpoint.body(), headers);
        assertThat(response.statusCode()).as(endpoint.path()).isEqualTo(401);
        assertThat(state()).isEqualTo(before);
    }

    private static HttpResponse<String> post(Endpoint endpoint, String fit, String body) {
        return send("POST", endpoint.path(), "Bearer " + fit, body,
                Map.of("x-forge-oauth-system", forge.issueSystemToken(a)));
    }

    private static HttpResponse<String> send(String method, String path, String authorization, String body,
                                             Map<String, String> headers) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(app.url() + path))
                .timeout(Duration.ofSeconds(30)).method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body));
        if (body != null) {
            request.header("Content-Type", "application/json");
        }
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        headers.forEach(request::header);
        return Http.send(HTTP, request.build());
    }

    private static long inboxRows(String clientKey) {
        return app.bean(IgniteSql.class).query("SELECT COUNT(*) FROM webhook_inbox WHERE client_key = ?",
                row -> row.longValue(0), clientKey).get(0);
    }

    private static String installedBody(EmulatedSite site) {
        return "{\"key\":\"triage-assistant-for-jira\",\"clientKey\":\"" + site.clientKey() + "\",\"sharedSecret\":\""
                + site.sharedSecret() + "\",\"baseUrl\":\"" + site.baseUrl() + "\",\"productType\":\"jira\","
                + "\"eventType\":\"installed\"}";
    }

    private static String installationId(EmulatedSite site) {
        return site.forgeInstallation().orElseThrow().installationId();
    }

    /** Every row of every tenant table, all tenants (so a token that registered a new tenant shows too). */
    private static Object state() {
        IgniteSql sql = app.bean(IgniteSql.class);
        Map<String, List<String>> rows = new TreeMap<>();
        for (String table : app.bean(TenantDataEraser.class).tenantTables()) {
            rows.put(table, sql.query("SELECT * FROM \"" + table + "\"", row -> row.values().toString())
                    .stream().sorted().toList());
        }
        return rows;
    }

    private static Map<String, List<String>> rows(String clientKey) {
        IgniteSql sql = app.bean(IgniteSql.class);
        Map<String, List<String>> rows = new TreeMap<>();
        for (String table : app.bean(TenantDataEraser.class).tenantTables()) {
            rows.put(table, sql.query("SELECT * FROM \"" + table + "\" WHERE client_key = ?",
                    row -> row.values().toString(), clientKey).stream().sorted().toList());
        }
        return rows;
    }

    static String createdEvent(long issueId, String key) {
        String now = java.time.format.DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSZ")
                .withZone(java.time.ZoneOffset.UTC).format(Instant.now());
        return "{\"eventType\":\"avi:jira:created:issue\",\"atlassianId\":\"557058:someone\",\"issue\":{\"id\":\""
                + issueId + "\",\"key\":\"" + key + "\",\"fields\":{\"summary\":\"Forged summary\","
                + "\"issuetype\":{\"name\":\"Bug\"},\"project\":{\"key\":\"SEC\"},\"components\":[],\"labels\":[],"
                + "\"priority\":{\"name\":\"Medium\"},\"created\":\"" + now + "\",\"updated\":\"" + now + "\"}}}";
    }
}
