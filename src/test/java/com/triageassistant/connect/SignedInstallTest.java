package com.triageassistant.connect;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Date;
import java.util.function.Function;

import com.atlassian.connect.spring.AtlassianHostRepository;
import com.nimbusds.jwt.JWTClaimsSet;
import com.triageassistant.support.AppInstance;
import com.triageassistant.jira.emulator.ConnectJwts;
import com.triageassistant.support.ConnectFixture;
import com.triageassistant.jira.emulator.InstallKeyServer.SigningKey;
import com.triageassistant.support.JiraSite;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** A Jira site installs the app over HTTP with Atlassian's signed-install JWT; forgeries store nothing. */
class SignedInstallTest {

    private static final String APP_KEY = ConnectFixture.APP_KEY;

    @TempDir
    static Path dataDir;

    static ConnectFixture connect;
    static SigningKey jiraKey;
    static AppInstance app;

    @BeforeAll
    static void start() {
        connect = ConnectFixture.start(dataDir);
        jiraKey = connect.jiraKey();
        app = connect.app();
    }

    @AfterAll
    static void stop() {
        connect.close();
    }

    @Test
    void signedInstallStoresTenantThatSurvivesRestartAndIsThenTrusted() {
        JiraSite site = JiraSite.random("acme");

        assertThat(connect.install(site).statusCode()).isEqualTo(204);
        assertThat(app.bean(AtlassianHostRepository.class).findById(site.clientKey()))
                .hasValueSatisfying(host -> {
                    assertThat(host.getBaseUrl()).isEqualTo(site.baseUrl());
                    assertThat(host.getSharedSecret()).isEqualTo(site.sharedSecret());
                    assertThat(host.isAddonInstalled()).isTrue();
                });

        app.restart();

        assertThat(app.bean(AtlassianHostRepository.class).findById(site.clientKey())).isPresent();
        var tenant = app.get("/api/tenant", site.requestToken("GET", "/api/tenant", "user-1"));
        assertThat(tenant.statusCode()).isEqualTo(200);
        assertThat(tenant.body()).contains("\"clientKey\":\"" + site.clientKey() + "\"")
                .contains("\"accountId\":\"user-1\"")
                .doesNotContain(site.sharedSecret());
    }

    @Test
    void reinstallUpdatesTheTenantInPlace() {
        JiraSite site = JiraSite.random("reinstall");
        install(site);
        JiraSite rotated = new JiraSite(site.clientKey(), "rotated-" + site.sharedSecret(), site.baseUrl(),
                site.installationId());

        assertThat(install(rotated)).isEqualTo(204);

        assertThat(app.bean(AtlassianHostRepository.class).findById(site.clientKey()))
                .hasValueSatisfying(host -> assertThat(host.getSharedSecret()).isEqualTo(rotated.sharedSecret()));
        assertThat(app.get("/api/tenant", site.requestToken("GET", "/api/tenant", "u")).statusCode())
                .isEqualTo(401);
        assertThat(app.get("/api/tenant", rotated.requestToken("GET", "/api/tenant", "u")).statusCode())
                .isEqualTo(200);
    }

    enum Forgery {
        KEY_NOT_PUBLISHED(site -> ConnectJwts.rs256(SigningKey.generate(), installClaims(site).build())),
        WRONG_KEY_FOR_KID(site -> ConnectJwts.rs256(SigningKey.generate().withKid(jiraKey.kid()),
                installClaims(site).build())),
        UNKNOWN_KID(site -> ConnectJwts.rs256(jiraKey.withKid("no-such-kid"), installClaims(site).build())),
        WRONG_AUDIENCE(site -> ConnectJwts.rs256(jiraKey,
                installClaims(site).audience("https://evil.example.com").build())),
        EXPIRED(site -> ConnectJwts.rs256(jiraKey, installClaims(site)
                .issueTime(new Date(System.currentTimeMillis() - 3_600_000))
                .expirationTime(new Date(System.currentTimeMillis() - 1_800_000)).build())),
        HS256_WITH_SHARED_SECRET(site -> ConnectJwts.hs256(site.sharedSecret(), installClaims(site).build())),
        WRONG_QSH(site -> ConnectJwts.rs256(jiraKey, ConnectJwts.claims(site.clientKey(),
                ConnectJwts.qsh("POST", "/uninstalled"), Duration.ofMinutes(3)).audience(app.url()).build())),
        ISSUER_IS_ANOTHER_TENANT(site -> ConnectJwts.rs256(jiraKey, ConnectJwts.claims("another-tenant",
                ConnectJwts.qsh("POST", "/installed"), Duration.ofMinutes(3)).audience(app.url()).build())),
        NO_TOKEN(site -> null);

        final Function<JiraSite, String> token;

        Forgery(Function<JiraSite, String> token) {
            this.token = token;
        }

        private static JWTClaimsSet.Builder installClaims(JiraSite site) {
            return ConnectJwts.claims(site.clientKey(), ConnectJwts.qsh("POST", "/installed"), Duration.ofMinutes(3))
                    .audience(app.url());
        }
    }

    @ParameterizedTest
    @EnumSource(Forgery.class)
    void forgedInstallIsRefusedAndStoresNothing(Forgery forgery) {
        JiraSite site = JiraSite.random("forged");

        var response = app.post("/installed", forgery.token.apply(site), site.lifecycleBody("installed", APP_KEY));

        assertThat(response.statusCode()).isEqualTo(401);
        assertThat(app.bean(AtlassianHostRepository.class).findById(site.clientKey())).isEmpty();
    }

    @Test
    void installBodyNamingAnotherTenantCannotOverwriteIt() {
        JiraSite victim = JiraSite.random("victim");
        install(victim);
        JiraSite attacker = JiraSite.random("attacker");
        install(attacker);
        JiraSite takeover = new JiraSite(victim.clientKey(), attacker.sharedSecret(), attacker.baseUrl(),
                attacker.installationId());

        // Signed by a genuine key, but for the attacker's own tenant (iss), while the body names the victim.
        String token = ConnectJwts.rs256(jiraKey, ConnectJwts.claims(attacker.clientKey(),
                ConnectJwts.qsh("POST", "/installed"), Duration.ofMinutes(3)).audience(app.url()).build());
        var response = app.post("/installed", token, takeover.lifecycleBody("installed", APP_KEY));

        assertThat(response.statusCode()).isIn(401, 403);
        assertThat(app.bean(AtlassianHostRepository.class).findById(victim.clientKey()))
                .hasValueSatisfying(host -> assertThat(host.getSharedSecret()).isEqualTo(victim.sharedSecret()));
    }

    @Test
    void unansweringKeyServerFailsTheInstallInsteadOfHangingIt() {
        JiraSite site = JiraSite.random("hung-keys");
        connect.keyServer().hang(true);
        try {
            var response = connect.install(site);

            assertThat(response.statusCode()).isEqualTo(503);
            assertThat(app.bean(AtlassianHostRepository.class).findById(site.clientKey())).isEmpty();
        } finally {
            connect.keyServer().hang(false);
        }
        assertThat(connect.install(site).statusCode()).as("Jira's retry succeeds").isEqualTo(204);
    }

    @Test
    void malformedInstallPayloadIsRefusedWith400() {
        JiraSite site = JiraSite.random("malformed");

        var response = app.post("/installed", site.lifecycleToken(jiraKey, app.url(), "/installed"),
                "{\"clientKey\": \"" + site.clientKey() + "\", \"baseUrl\": ");

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(app.bean(AtlassianHostRepository.class).findById(site.clientKey())).isEmpty();
    }

    @Test
    void oversizedInstallPayloadIsRefusedWith413() {
        JiraSite site = JiraSite.random("huge");
        String body = site.lifecycleBody("installed", APP_KEY).replace("\"productType\"",
                "\"padding\":\"" + "x".repeat(200_000) + "\",\"productType\"");

        var response = app.post("/installed", site.lifecycleToken(jiraKey, app.url(), "/installed"), body);

        assertThat(response.statusCode()).isEqualTo(413);
        assertThat(app.bean(AtlassianHostRepository.class).findById(site.clientKey())).isEmpty();
    }

    private static int install(JiraSite site) {
        return connect.install(site).statusCode();
    }
}
