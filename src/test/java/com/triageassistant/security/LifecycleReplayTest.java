package com.triageassistant.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;

import com.atlassian.connect.spring.AtlassianHostRepository;
import com.triageassistant.connect.TenantStateRepository;
import com.triageassistant.jira.emulator.ConnectJwts;
import com.triageassistant.support.AppInstance;
import com.triageassistant.support.ConnectFixture;
import com.triageassistant.support.JiraSite;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Signed {@code installed}/{@code uninstalled} calls replayed while their token is still valid (three minutes,
 * plus ACSB's 30 s leeway). The rule: a lifecycle call signed before the tenant's newest accepted install is
 * refused (401). So a replay cannot roll back a rotated secret or erase a re-install; an identical replay of the
 * newest install re-applies the same values; a replayed uninstall of a tenant already gone finds nothing to erase.
 */
class LifecycleReplayTest {

    @TempDir
    static Path dataDir;

    static ConnectFixture connect;
    static AppInstance app;

    @BeforeAll
    static void start() {
        connect = ConnectFixture.start(dataDir);
        app = connect.app();
    }

    @AfterAll
    static void stop() {
        connect.close();
    }

    /** A call Jira signed {@code secondsAgo} ago, as it was sent then. */
    record Captured(String path, String token, String body) {

        HttpResponse<String> send() {
            return app.post(path, token, body);
        }
    }

    static Captured signed(JiraSite site, String event, long secondsAgo) {
        String path = "/" + event;
        Instant issued = Instant.now().minusSeconds(secondsAgo);
        String token = ConnectJwts.rs256(connect.jiraKey(), ConnectJwts.claims(site.clientKey(),
                        ConnectJwts.qsh("POST", path), Duration.ofMinutes(3)).issueTime(Date.from(issued))
                .expirationTime(Date.from(issued.plus(Duration.ofMinutes(3)))).audience(app.url()).build());
        return new Captured(path, token, site.lifecycleBody(event, ConnectFixture.APP_KEY));
    }

    @Test
    void anOlderInstallReplayedAfterTheSecretWasRotatedIsRefused() {
        JiraSite first = JiraSite.random("rotating");
        JiraSite rotated = new JiraSite(first.clientKey(), "rotated-" + first.sharedSecret(), first.baseUrl(),
                first.installationId());
        Captured oldInstall = signed(first, "installed", 60);
        assertThat(oldInstall.send().statusCode()).isEqualTo(204);
        assertThat(signed(rotated, "installed", 10).send().statusCode()).isEqualTo(204);

        assertThat(oldInstall.send().statusCode()).isEqualTo(401);

        assertThat(secretOf(first)).isEqualTo(rotated.sharedSecret());
        assertThat(app.get("/api/tenant", first.requestToken("GET", "/api/tenant", "u")).statusCode()).isEqualTo(401);
        assertThat(app.get("/api/tenant", rotated.requestToken("GET", "/api/tenant", "u")).statusCode())
                .isEqualTo(200);
    }

    @Test
    void anUninstallReplayedAfterAReinstallErasesNothing() {
        JiraSite site = JiraSite.random("returning");
        assertThat(signed(site, "installed", 90).send().statusCode()).isEqualTo(204);
        Captured uninstall = signed(site, "uninstalled", 60);
        assertThat(uninstall.send().statusCode()).isEqualTo(204);
        awaitErased(site);
        assertThat(signed(site, "installed", 10).send().statusCode()).isEqualTo(204);
        enable(site);

        assertThat(uninstall.send().statusCode()).isEqualTo(401);

        assertThat(app.bean(AtlassianHostRepository.class).findById(site.clientKey()))
                .hasValueSatisfying(host -> assertThat(host.isAddonInstalled()).isTrue());
        assertThat(app.bean(TenantStateRepository.class).isEnabled(site.clientKey())).contains(true);
    }

    @Test
    void anInstallSignedBeforeAnUninstallCannotRecreateTheTenantAfterIt() {
        JiraSite site = JiraSite.random("replayed-after-uninstall");
        Captured install = signed(site, "installed", 60);
        assertThat(install.send().statusCode()).isEqualTo(204);
        assertThat(signed(site, "uninstalled", 30).send().statusCode()).isEqualTo(204);
        awaitErased(site);

        assertThat(install.send().statusCode()).isEqualTo(401);
        assertThat(app.bean(AtlassianHostRepository.class).findById(site.clientKey())).isEmpty();

        // A real re-install, signed after the uninstall, is welcome.
        assertThat(signed(site, "installed", 5).send().statusCode()).isEqualTo(204);
        assertThat(app.bean(AtlassianHostRepository.class).findById(site.clientKey())).isPresent();
    }

    @Test
    void theNewestInstallReplayedReappliesTheSameValues() {
        JiraSite site = JiraSite.random("same");
        Captured install = signed(site, "installed", 5);
        assertThat(install.send().statusCode()).isEqualTo(204);
        enable(site);

        assertThat(install.send().statusCode()).isEqualTo(204);

        assertThat(secretOf(site)).isEqualTo(site.sharedSecret());
        assertThat(app.bean(TenantStateRepository.class).isEnabled(site.clientKey())).contains(true);
    }

    @Test
    void anUninstallReplayedAfterTheTenantIsGoneFindsNothingToErase() {
        JiraSite site = JiraSite.random("gone");
        JiraSite bystander = connect.installed("bystander");
        assertThat(signed(site, "installed", 30).send().statusCode()).isEqualTo(204);
        Captured uninstall = signed(site, "uninstalled", 20);
        assertThat(uninstall.send().statusCode()).isEqualTo(204);
        awaitErased(site);

        HttpResponse<String> replayed = uninstall.send();

        assertThat(replayed.statusCode()).isLessThan(500);
        assertThat(app.bean(AtlassianHostRepository.class).findById(site.clientKey())).isEmpty();
        assertThat(app.get("/api/tenant", bystander.requestToken("GET", "/api/tenant", "u")).statusCode())
                .isEqualTo(200);
    }

    private static String secretOf(JiraSite site) {
        return app.bean(AtlassianHostRepository.class).findById(site.clientKey()).orElseThrow().getSharedSecret();
    }

    private static void enable(JiraSite site) {
        String path = "/lifecycle/enabled";
        assertThat(app.post(path, site.requestToken("POST", path, null), site.lifecycleBody("enabled",
                ConnectFixture.APP_KEY)).statusCode()).isEqualTo(204);
    }

    private static void awaitErased(JiraSite site) {
        await().atMost(Duration.ofSeconds(10)).until(() ->
                app.bean(AtlassianHostRepository.class).findById(site.clientKey()).isEmpty());
    }
}
