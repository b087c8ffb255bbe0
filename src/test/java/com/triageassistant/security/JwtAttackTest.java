package com.triageassistant.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;
import java.util.stream.Stream;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.PlainJWT;
import com.nimbusds.jwt.SignedJWT;
import com.triageassistant.jira.emulator.AppRequest;
import com.triageassistant.jira.emulator.ConnectJwts;
import com.triageassistant.jira.emulator.InstallKeyServer.SigningKey;
import com.triageassistant.security.SecurityFixture.Tenant;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Forged, stale and misused tokens on every endpoint the app serves: each is refused with 401 and changes no row
 * of either tenant and nothing in Jira. Each token differs from the one Jira would send for that very request
 * in exactly one way; the last test sends those genuine tokens and shows they get through, so the refusals are
 * the tokens' doing.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class JwtAttackTest {

    @TempDir
    static Path dataDir;

    static SecurityFixture fx;

    @BeforeAll
    static void start() {
        fx = SecurityFixture.start(dataDir);
    }

    @AfterAll
    static void stop() {
        if (fx != null) {
            fx.close();
        }
    }

    /** How Jira signs calls to an endpoint. */
    enum Auth {
        /** {@code installed}/{@code uninstalled}: RS256 with Atlassian's install key, {@code aud} the app. */
        LIFECYCLE,
        /** iframes, webhooks, enabled/disabled: HS256 with the shared secret, {@code qsh} of the request. */
        REQUEST,
        /** the pages' own calls ({@code @ContextJwt}): HS256, {@code qsh} = "context-qsh". */
        CONTEXT
    }

    /** One of the app's endpoints, with a request that would change something if it got through. */
    record Endpoint(String method, String path, Auth auth, BiFunction<SecurityFixture, Tenant, String> body) {

        String pathAndQuery(Tenant tenant) {
            return path.replace("{issue}", String.valueOf(tenant.issue().id()));
        }

        @Override
        public String toString() {
            return method + " " + path;
        }
    }

    static final List<Endpoint> ENDPOINTS = List.of(
            new Endpoint("POST", "/installed", Auth.LIFECYCLE, (fx, t) -> fx.lifecycleBody(t, "installed")
                    .replace("\"description\":\"", "\"description\":\"tampered ")),
            new Endpoint("POST", "/uninstalled", Auth.LIFECYCLE, (fx, t) -> fx.lifecycleBody(t, "uninstalled")),
            new Endpoint("POST", "/lifecycle/enabled", Auth.REQUEST, (fx, t) -> fx.lifecycleBody(t, "enabled")),
            new Endpoint("POST", "/lifecycle/disabled", Auth.REQUEST, (fx, t) -> fx.lifecycleBody(t, "disabled")),
            new Endpoint("POST", "/webhooks/issue-updated", Auth.REQUEST, JwtAttackTest::webhook),
            new Endpoint("GET", "/glance?issueId={issue}&issueKey=SEC-1&projectId=10000&projectKey=SEC",
                    Auth.REQUEST, null),
            new Endpoint("GET", "/admin/project?projectId=10000&projectKey=SEC", Auth.REQUEST, null),
            new Endpoint("GET", "/api/tenant", Auth.REQUEST, null),
            new Endpoint("GET", "/api/issues/{issue}/suggestions", Auth.REQUEST, null),
            new Endpoint("GET", "/api/projects/SEC/models", Auth.REQUEST, null),
            new Endpoint("GET", "/api/ingest/status", Auth.REQUEST, null),
            new Endpoint("GET", "/api/projects/SEC/history", Auth.REQUEST, null),
            new Endpoint("POST", "/api/projects/SEC/backfill", Auth.REQUEST, null),
            new Endpoint("GET", "/api/inbox/dead", Auth.REQUEST, null),
            new Endpoint("POST", "/api/inbox/dead/some-delivery/replay", Auth.REQUEST, null),
            new Endpoint("GET", "/api/issues/{issue}/glance?issueKey=SEC-1&projectKey=SEC", Auth.CONTEXT, null),
            new Endpoint("GET", "/api/issues/{issue}/view?issueKey=SEC-1&projectKey=SEC", Auth.CONTEXT, null),
            new Endpoint("POST", "/api/issues/{issue}/feedback", Auth.CONTEXT, (fx, t) ->
                    "{\"target\":\"assignee\",\"value\":\"" + t.suggestedValue() + "\",\"action\":\"dismissed\"}"),
            new Endpoint("GET", "/api/projects/SEC/admin", Auth.CONTEXT, null),
            new Endpoint("PUT", "/api/projects/SEC/settings/assignee", Auth.CONTEXT, (fx, t) ->
                    "{\"enabled\":false,\"threshold\":0.9,\"autoApply\":\"ON\",\"excluded\":[\"x\"]}"),
            new Endpoint("POST", "/api/projects/SEC/train", Auth.CONTEXT, null));

    static Stream<Endpoint> endpoints() {
        return ENDPOINTS.stream();
    }

    static Stream<Endpoint> qshCheckedEndpoints() {
        return ENDPOINTS.stream().filter(e -> e.auth() != Auth.CONTEXT);
    }

    static Stream<Endpoint> contextEndpoints() {
        return ENDPOINTS.stream().filter(e -> e.auth() == Auth.CONTEXT);
    }

    @ParameterizedTest
    @Order(1)
    @MethodSource("endpoints")
    void signedWithTheWrongSecretOrKey(Endpoint endpoint) {
        JWTClaimsSet claims = claims(endpoint).build();
        String token = endpoint.auth() == Auth.LIFECYCLE
                // Atlassian's key id, someone else's key
                ? ConnectJwts.rs256(SigningKey.generate().withKid(fx.jira.installKey().kid()), claims)
                : ConnectJwts.hs256("not-the-" + fx.a.site().sharedSecret(), claims);

        assertRefused(endpoint, token);
    }

    @ParameterizedTest
    @Order(1)
    @MethodSource("endpoints")
    void unsignedWithAlgNone(Endpoint endpoint) {
        assertRefused(endpoint, new PlainJWT(claims(endpoint).build()).serialize());
    }

    /**
     * RS256/HS256 confusion both ways: a request endpoint offered a genuine RS256 signature by Atlassian's install
     * key, and a lifecycle endpoint offered HS256 keyed with that install key's public half (which anyone can
     * fetch) under its {@code kid}.
     */
    @ParameterizedTest
    @Order(1)
    @MethodSource("endpoints")
    void signedWithTheOtherAlgorithm(Endpoint endpoint) {
        JWTClaimsSet claims = claims(endpoint).audience(fx.app.url()).build();
        String token = endpoint.auth() == Auth.LIFECYCLE
                ? hs256WithPublicKey(fx.jira.installKey(), claims)
                : ConnectJwts.rs256(fx.jira.installKey(), claims);

        assertRefused(endpoint, token);
    }

    @ParameterizedTest
    @Order(1)
    @MethodSource("endpoints")
    void expired(Endpoint endpoint) {
        long now = System.currentTimeMillis();
        assertRefused(endpoint, sign(endpoint, claims(endpoint).issueTime(new Date(now - 3_600_000))
                .expirationTime(new Date(now - 1_800_000)).build()));
    }

    @ParameterizedTest
    @Order(1)
    @MethodSource("endpoints")
    void issuedInTheFuture(Endpoint endpoint) {
        long now = System.currentTimeMillis();
        assertRefused(endpoint, sign(endpoint, claims(endpoint).issueTime(new Date(now + 3_600_000))
                .expirationTime(new Date(now + 3_780_000)).build()));
    }

    /** A token without {@code qsh} would be good for any request; Jira always sends one. */
    @ParameterizedTest
    @Order(1)
    @MethodSource("endpoints")
    void withoutQsh(Endpoint endpoint) {
        assertRefused(endpoint, sign(endpoint, claims(endpoint).claim("qsh", null).build()));
    }

    @ParameterizedTest
    @Order(1)
    @MethodSource("qshCheckedEndpoints")
    void qshOfAnotherUrl(Endpoint endpoint) {
        String pathAndQuery = endpoint.pathAndQuery(fx.a);
        // another query (a leaked iframe URL of another issue or project) or another path
        String other = pathAndQuery.contains("?") ? pathAndQuery + "0" : pathAndQuery + "/other";
        assertRefused(endpoint, sign(endpoint, claims(endpoint).claim("qsh", ConnectJwts.qsh(endpoint.method(), other))
                .build()));
    }

    @ParameterizedTest
    @Order(1)
    @MethodSource("qshCheckedEndpoints")
    void qshOfAnotherMethod(Endpoint endpoint) {
        String other = endpoint.method().equals("GET") ? "POST" : "GET";
        assertRefused(endpoint, sign(endpoint, claims(endpoint)
                .claim("qsh", ConnectJwts.qsh(other, endpoint.pathAndQuery(fx.a))).build()));
    }

    /** The iframe's {@code AP.context.getToken()} token is good for the page's own API, never for Jira's URLs. */
    @ParameterizedTest
    @Order(1)
    @MethodSource("qshCheckedEndpoints")
    void contextTokenWhereARequestTokenIsRequired(Endpoint endpoint) {
        assertRefused(endpoint, fx.a.site().contextToken(fx.a.admin().accountId(), issueContext(fx.a)));
    }

    /**
     * The page's API wants the context token: even a request token signed for exactly this request is refused,
     * and so is the iframe URL's own token (which a page's referrer or log could leak).
     */
    @ParameterizedTest
    @Order(1)
    @MethodSource("contextEndpoints")
    void requestTokenWhereAContextTokenIsRequired(Endpoint endpoint) {
        Tenant a = fx.a;
        assertRefused(endpoint, a.site().requestToken(endpoint.method(), endpoint.pathAndQuery(a),
                a.admin().accountId()));
        String glance = "/glance?issueId=" + a.issue().id() + "&issueKey=SEC-1&projectId=10000&projectKey=SEC";
        assertRefused(endpoint, a.site().requestToken("GET", glance, a.admin().accountId()));
    }

    /** The control: Jira's genuine token for the same request gets through (uninstall is shown elsewhere). */
    @ParameterizedTest
    @Order(2)
    @MethodSource("endpoints")
    void theGenuineTokenGetsThrough(Endpoint endpoint) {
        if (endpoint.path().equals("/uninstalled")) {
            return; // would erase the tenant; TenantLifecycleTest shows the genuine uninstall
        }
        HttpResponse<String> response = send(endpoint, validToken(endpoint));

        assertThat(response.statusCode()).as(endpoint + ": " + response.body()).isNotIn(401, 403)
                .isLessThan(500);
    }

    // ---- tokens ----

    /** The claims Jira would sign for this request by tenant A's admin. */
    static JWTClaimsSet.Builder claims(Endpoint endpoint) {
        Tenant a = fx.a;
        return switch (endpoint.auth()) {
            case LIFECYCLE -> fx.lifecycleClaims(a, endpoint.path());
            case REQUEST -> ConnectJwts.claims(a.clientKey(), ConnectJwts.qsh(endpoint.method(),
                    endpoint.pathAndQuery(a)), Duration.ofMinutes(3)).subject(a.admin().accountId());
            case CONTEXT -> ConnectJwts.claims(a.clientKey(), "context-qsh", Duration.ofMinutes(15))
                    .subject(a.admin().accountId()).claim("context", issueContext(a));
        };
    }

    /** Signed with the key Jira would use for this endpoint. */
    static String sign(Endpoint endpoint, JWTClaimsSet claims) {
        return endpoint.auth() == Auth.LIFECYCLE ? ConnectJwts.rs256(fx.jira.installKey(), claims)
                : ConnectJwts.hs256(fx.a.site().sharedSecret(), claims);
    }

    static String validToken(Endpoint endpoint) {
        return sign(endpoint, claims(endpoint).build());
    }

    static Map<String, Object> issueContext(Tenant tenant) {
        return Map.of("jira", Map.of("issue", Map.of("id", String.valueOf(tenant.issue().id()), "key", "SEC-1"),
                "project", Map.of("id", "10000", "key", "SEC")));
    }

    static String hs256WithPublicKey(SigningKey key, JWTClaimsSet claims) {
        String pem = "-----BEGIN PUBLIC KEY-----\n" + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                .encodeToString(key.pair().getPublic().getEncoded()) + "\n-----END PUBLIC KEY-----\n";
        try {
            SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.HS256).keyID(key.kid()).build(), claims);
            jwt.sign(new MACSigner(pem.getBytes(StandardCharsets.US_ASCII)));
            return jwt.serialize();
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    static String webhook(SecurityFixture fx, Tenant tenant) {
        return "{\"timestamp\":" + System.currentTimeMillis() + ",\"webhookEvent\":\"jira:issue_updated\","
                + "\"issue\":{\"id\":\"" + tenant.issue().id() + "\",\"key\":\"" + tenant.issue().key() + "\","
                + "\"fields\":{\"project\":{\"key\":\"SEC\"},\"summary\":\"tampered\",\"issuetype\":{\"name\":\"Bug\"},"
                + "\"labels\":[\"tampered\"],\"created\":\"2020-01-01T00:00:00.000+0000\","
                + "\"updated\":\"2035-01-01T00:00:00.000+0000\"}}}";
    }

    // ---- assertions ----

    static HttpResponse<String> send(Endpoint endpoint, String token) {
        String body = endpoint.body() == null ? null : endpoint.body().apply(fx, fx.a);
        return fx.send(endpoint.method(), endpoint.pathAndQuery(fx.a), token, body,
                endpoint.path().startsWith("/webhooks/")
                        ? Map.of("X-Atlassian-Webhook-Identifier", "attack-" + System.nanoTime()) : Map.of());
    }

    static void assertRefused(Endpoint endpoint, String token) {
        // an earlier attack that got through could have erased the tenant, making every later refusal vacuous
        assertThat(fx.rows(fx.a.clientKey()).get("ATLASSIAN_HOST")).as("tenant A is installed").hasSize(1);
        Object before = fx.state();
        int appWritesBefore = appWritesToJira();

        HttpResponse<String> response = send(endpoint, token);

        assertThat(response.statusCode()).as(endpoint + ": " + response.body()).isEqualTo(401);
        assertThat(fx.state()).as("rows of both tenants and their Jira issues").isEqualTo(before);
        assertThat(appWritesToJira()).as("the app's writes to Jira").isEqualTo(appWritesBefore);
    }

    static int appWritesToJira() {
        return (int) Stream.of(fx.a, fx.b).flatMap(t -> t.site().appRequests().stream())
                .map(AppRequest::method).filter(method -> method.equals("PUT") || method.equals("DELETE")).count();
    }
}
