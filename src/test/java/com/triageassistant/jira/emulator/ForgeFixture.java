package com.triageassistant.jira.emulator;

import java.net.URI;
import java.net.URISyntaxException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jwt.SignedJWT;

/**
 * An emulator with the Forge platform, a recording remote and one site with a project and two people, ready to
 * install the test manifest ({@code src/test/resources/forge/manifest-test.yml}) against the remote.
 */
final class ForgeFixture implements AutoCloseable {

    static final String APP_ID = "ari:cloud:ecosystem::app/00000000-0000-4000-8000-000000000000";
    static final HttpClient HTTP = HttpClient.newHttpClient();

    final JiraEmulator jira;
    final ForgePlatform forge;
    final RecordingForgeRemote remote = new RecordingForgeRemote();
    final EmulatedSite site;
    final EmulatedUser alice;
    final EmulatedUser bob;

    ForgeFixture() {
        this(ForgeDeliveryPolicy.fast());
    }

    ForgeFixture(ForgeDeliveryPolicy policy) {
        jira = new JiraEmulator(WebhookPolicy.fast(), policy, Clock.systemUTC(), 0, 0);
        forge = jira.forge();
        site = newSite("forge");
        alice = site.createUser("Alice");
        bob = site.createUser("Bob");
        site.makeAssignable("ACME", alice.accountId(), bob.accountId());
    }

    EmulatedSite newSite(String name) {
        EmulatedSite created = jira.createSite(name);
        created.createProject("ACME", "Acme", List.of("Bug", "Task"), List.of("api", "ui"));
        return created;
    }

    static Path manifest() {
        try {
            return Path.of(ForgeFixture.class.getResource("/forge/manifest-test.yml").toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Installs the test manifest on the site against the remote and waits for the installed event. */
    ForgeInstallation install(EmulatedSite target) {
        ForgeInstallation installation = target.installForge(manifest(), remote.url());
        if (!target.awaitForgeEvents(Duration.ofSeconds(5))) {
            throw new AssertionError("installed event not delivered");
        }
        return installation;
    }

    EmulatedIssue createIssue(String summary) {
        return site.createIssue("ACME", "Bug", summary, null, List.of("api"), List.of(), "Medium", null,
                alice.accountId());
    }

    /** {@code GET <platform>/ex/jira/{cloudId}{path}} with this bearer token. */
    HttpResponse<String> exJira(String cloudId, String path, String token) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(forge.apiBaseUrl(cloudId) + path)).GET();
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        return Http.send(HTTP, request.build());
    }

    HttpResponse<String> exJira(String cloudId, String method, String path, String token, String body) {
        return Http.send(HTTP, HttpRequest.newBuilder(URI.create(forge.apiBaseUrl(cloudId) + path))
                .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
                .method(method, HttpRequest.BodyPublishers.ofString(body)).build());
    }

    /** The platform's JWKS as an app fetches it. */
    JWKSet jwks() {
        try {
            return JWKSet.parse(Http.send(HTTP, HttpRequest.newBuilder(URI.create(forge.jwksUrl())).GET().build())
                    .body());
        } catch (ParseException e) {
            throw new AssertionError(e);
        }
    }

    /** Whether the token's RS256 signature verifies with the JWKS key its kid names (false if none). */
    boolean verifiesAgainstJwks(String token) {
        try {
            SignedJWT jwt = SignedJWT.parse(token);
            JWK key = jwt.getHeader().getKeyID() == null ? null : jwks().getKeyByKeyId(jwt.getHeader().getKeyID());
            return key != null && jwt.verify(new RSASSAVerifier(key.toRSAKey()));
        } catch (ParseException | JOSEException | IllegalStateException e) {
            return false;
        }
    }

    static JsonNode claims(String token) {
        try {
            return JiraJson.MAPPER.readTree(SignedJWT.parse(token).getPayload().toString());
        } catch (ParseException | java.io.IOException e) {
            throw new AssertionError(e);
        }
    }

    @Override
    public void close() {
        jira.close();
        remote.close();
    }
}
