package com.triageassistant.jira.emulator;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;

import com.fasterxml.jackson.databind.JsonNode;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jwt.JWTParser;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Forge Invocation Tokens, the JWKS they verify against, key rotation, and the app system token's shape. */
class EmulatorForgeTokenTest {

    ForgeFixture fixture;

    @BeforeEach
    void start() {
        fixture = new ForgeFixture();
    }

    @AfterEach
    void stop() {
        fixture.close();
    }

    @Test
    void anInvocationCarriesAFitThatVerifiesAgainstTheJwksWithTheContractsClaims() throws Exception {
        ForgeInstallation installation = fixture.install(fixture.site);
        RecordingForgeRemote.Invocation installed = fixture.remote.invocations().get(0);

        assertThat(fixture.verifiesAgainstJwks(installed.fit())).isTrue();
        assertThat(JWTParser.parse(installed.fit()).getHeader().getAlgorithm()).isEqualTo(JWSAlgorithm.RS256);
        JsonNode claims = ForgeFixture.claims(installed.fit());
        assertThat(claims.path("iss").asText()).isEqualTo("forge/invocation-token");
        assertThat(claims.path("aud").asText()).isEqualTo(ForgeFixture.APP_ID);
        long iat = claims.path("iat").asLong();
        assertThat(claims.path("nbf").asLong()).isEqualTo(iat);
        assertThat(claims.path("exp").asLong()).isEqualTo(iat + 25);
        assertThat(Math.abs(iat - Instant.now().getEpochSecond())).isLessThan(30);
        assertThat(claims.path("jti").asText()).isNotBlank();
        JsonNode app = claims.path("app");
        assertThat(app.path("id").asText()).isEqualTo(ForgeFixture.APP_ID);
        assertThat(app.path("version").asText()).isEqualTo("1.0.0");
        assertThat(app.path("installationId").asText()).isEqualTo(installation.installationId())
                .startsWith("ari:cloud:ecosystem::installation/");
        assertThat(app.path("apiBaseUrl").asText())
                .isEqualTo(fixture.forge.url() + "/ex/jira/" + fixture.site.cloudId());
        assertThat(app.path("environment").path("type").asText()).isEqualTo("DEVELOPMENT");
        assertThat(app.path("environment").path("id").asText()).isEqualTo(installation.environmentId());
        assertThat(app.path("module").path("type").asText()).isEqualTo("core:trigger");
        assertThat(app.path("module").path("key").asText()).isEqualTo("app-lifecycle");
        JsonNode context = claims.path("context");
        assertThat(context.path("cloudId").asText()).isEqualTo(fixture.site.cloudId());
        assertThat(context.path("siteUrl").asText()).isEqualTo(fixture.site.baseUrl());
        assertThat(context.path("moduleKey").asText()).isEqualTo("app-lifecycle");
        assertThat(context.has("extension")).isFalse();
        assertThat(claims.has("principal")).as("only UI invocations name a person").isFalse();
    }

    @Test
    void forgedTokensDifferFromAGenuineOneInTheOneRespectAsked() throws Exception {
        fixture.install(fixture.site);
        ForgePlatform forge = fixture.forge;
        String genuine = forge.invocationToken(fixture.site, "core:trigger", "issue-events")
                .signedWith(forge.currentKey());
        assertThat(fixture.verifiesAgainstJwks(genuine)).isTrue();

        InstallKeyServer.SigningKey stranger = InstallKeyServer.SigningKey.generate();
        assertThat(fixture.verifiesAgainstJwks(forge.invocationToken(fixture.site, "core:trigger", "issue-events")
                .signedWith(stranger))).as("a key the JWKS does not have").isFalse();
        assertThat(fixture.verifiesAgainstJwks(forge.invocationToken(fixture.site, "core:trigger", "issue-events")
                .signedWith(stranger, forge.currentKey().kid()))).as("a stranger's key under a known kid").isFalse();
        assertThat(fixture.verifiesAgainstJwks(forge.invocationToken(fixture.site, "core:trigger", "issue-events")
                .signedWith(forge.currentKey(), "unknown-kid"))).as("unknown kid").isFalse();

        String wrongAud = forge.invocationToken(fixture.site, "core:trigger", "issue-events")
                .audience("ari:cloud:ecosystem::app/other").signedWith(forge.currentKey());
        assertThat(fixture.verifiesAgainstJwks(wrongAud)).as("signature fine, aud wrong").isTrue();
        assertThat(ForgeFixture.claims(wrongAud).path("aud").asText()).isEqualTo("ari:cloud:ecosystem::app/other");
        assertThat(ForgeFixture.claims(forge.invocationToken(fixture.site, "core:trigger", "issue-events")
                .issuer("forge/other").signedWith(forge.currentKey())).path("iss").asText()).isEqualTo("forge/other");

        long now = Instant.now().getEpochSecond();
        assertThat(ForgeFixture.claims(forge.invocationToken(fixture.site, "core:trigger", "issue-events").expired()
                .signedWith(forge.currentKey())).path("exp").asLong()).isLessThan(now);
        assertThat(ForgeFixture.claims(forge.invocationToken(fixture.site, "core:trigger", "issue-events")
                .notBefore(Instant.now().plusSeconds(600)).signedWith(forge.currentKey())).path("nbf").asLong())
                .isGreaterThan(now);

        String none = forge.invocationToken(fixture.site, "core:trigger", "issue-events").unsigned();
        assertThat(none).endsWith(".");
        assertThat(JWTParser.parse(none).getHeader().getAlgorithm().getName()).isEqualTo("none");
        String hs256 = forge.invocationToken(fixture.site, "core:trigger", "issue-events")
                .hs256("secretsecretsecretsecretsecretsecret", forge.currentKey().kid());
        assertThat(JWTParser.parse(hs256).getHeader().getAlgorithm()).isEqualTo(JWSAlgorithm.HS256);
        assertThat(fixture.verifiesAgainstJwks(hs256)).isFalse();

        String ui = forge.invocationToken(fixture.site, "jira:issueContext", "triage-glance").principal("acc-1")
                .extension(java.util.Map.of("type", "jira:issueContext")).signedWith(forge.currentKey());
        assertThat(ForgeFixture.claims(ui).path("principal").asText()).isEqualTo("acc-1");
        assertThat(ForgeFixture.claims(ui).path("context").path("extension").path("type").asText())
                .isEqualTo("jira:issueContext");
        assertThat(ForgeFixture.claims(forge.invocationToken(fixture.site, "core:trigger", "issue-events")
                .without("app").signedWith(forge.currentKey())).has("app")).isFalse();
    }

    @Test
    void rotationServesBothKidsUntilTheOldOneIsRetired() {
        fixture.install(fixture.site);
        InstallKeyServer.SigningKey first = fixture.forge.currentKey();
        String before = fixture.remote.invocations().get(0).fit();

        InstallKeyServer.SigningKey second = fixture.forge.rotateKey();
        assertThat(fixture.jwks().getKeys()).extracting(JWK::getKeyID)
                .containsExactly(first.kid(), second.kid());
        assertThat(fixture.jwks().getKeys()).allSatisfy(key -> {
            assertThat(key.isPrivate()).isFalse();
            assertThat(key.getAlgorithm()).isEqualTo(JWSAlgorithm.RS256);
        });
        fixture.site.runScheduledTriggers();
        assertThat(fixture.site.awaitForgeEvents(Duration.ofSeconds(5))).isTrue();
        String after = fixture.remote.invocations().get(1).fit();
        assertThat(fixture.verifiesAgainstJwks(before)).isTrue();
        assertThat(fixture.verifiesAgainstJwks(after)).isTrue();
        assertThat(JwtKid.of(after)).isEqualTo(second.kid());

        fixture.forge.retireOldKeys();
        assertThat(fixture.forge.publishedKids()).containsExactly(second.kid());
        assertThat(fixture.verifiesAgainstJwks(before)).isFalse();
        assertThat(fixture.verifiesAgainstJwks(after)).isTrue();
    }

    @Test
    void theSystemTokenIsAJwtAnAppCanReadTheExpiryOf() {
        fixture.forge.tokenLifetime(Duration.ofSeconds(90));
        ForgeInstallation installation = fixture.install(fixture.site);
        String token = fixture.remote.invocations().get(0).systemToken();

        assertThat(token.split("\\.")).hasSize(3);
        JsonNode claims = ForgeFixture.claims(token);
        assertThat(claims.path("sub").asText()).isEqualTo(fixture.site.appAccountId());
        assertThat(claims.path("aud").isArray() ? claims.path("aud").get(0).asText() : claims.path("aud").asText())
                .isEqualTo("api.atlassian.com");
        assertThat(claims.path("installationId").asText()).isEqualTo(installation.installationId());
        assertThat(claims.path("exp").asLong() - claims.path("iat").asLong()).isBetween(89L, 90L);
        assertThat(fixture.verifiesAgainstJwks(token)).as("signed by the platform's secret, not a FIT key")
                .isFalse();
    }

    /** The kid of a token's header. */
    static final class JwtKid {
        static String of(String token) {
            try {
                return com.nimbusds.jwt.SignedJWT.parse(token).getHeader().getKeyID();
            } catch (java.text.ParseException e) {
                throw new AssertionError(e);
            }
        }
    }
}
