package com.triageassistant.connect;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Date;

import com.triageassistant.support.AppInstance;
import com.triageassistant.jira.emulator.ConnectJwts;
import com.triageassistant.support.ConnectFixture;
import com.triageassistant.support.JiraSite;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every endpoint but the descriptor and health wants a valid HS256 request JWT from an installed tenant. */
class RequestJwtTest {

    @TempDir
    static Path dataDir;

    static ConnectFixture connect;
    static AppInstance app;
    static JiraSite site;
    static JiraSite otherSite;

    @BeforeAll
    static void start() {
        connect = ConnectFixture.start(dataDir);
        app = connect.app();
        site = connect.installed("jwt");
        otherSite = connect.installed("other");
    }

    @AfterAll
    static void stop() {
        connect.close();
    }

    @Test
    void validTokenIsAcceptedAndNamesItsOwnTenant() {
        var response = app.get("/api/tenant", site.requestToken("GET", "/api/tenant", "alice"));

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).contains(site.clientKey()).doesNotContain(otherSite.clientKey());
    }

    @Test
    void tokenInQueryParameterIsAcceptedLikeJiraIframes() {
        String token = site.requestToken("GET", "/api/tenant?xdm_e=x&cv=1", "alice");

        var response = app.get("/api/tenant?xdm_e=x&cv=1&jwt=" + token, null);

        assertThat(response.statusCode()).isEqualTo(200);
    }

    @Test
    void missingTokenIsRefused() {
        assertThat(app.get("/api/tenant", null).statusCode()).isEqualTo(401);
    }

    @Test
    void tokenSignedWithAnotherSecretIsRefused() {
        String token = ConnectJwts.hs256("not-the-" + site.sharedSecret(),
                site.requestClaims("GET", "/api/tenant", "alice").build());

        assertThat(app.get("/api/tenant", token).statusCode()).isEqualTo(401);
    }

    @Test
    void tokenOfAnotherTenantsSecretButThisIssuerIsRefused() {
        String token = ConnectJwts.hs256(otherSite.sharedSecret(),
                site.requestClaims("GET", "/api/tenant", "alice").build());

        assertThat(app.get("/api/tenant", token).statusCode()).isEqualTo(401);
    }

    @Test
    void tokenForAnotherRequestIsRefused() {
        assertThat(app.get("/api/tenant", site.requestToken("GET", "/api/other", "alice")).statusCode())
                .isEqualTo(401);
        assertThat(app.get("/api/tenant", site.requestToken("POST", "/api/tenant", "alice")).statusCode())
                .isEqualTo(401);
        assertThat(app.get("/api/tenant?x=1", site.requestToken("GET", "/api/tenant?x=2", "alice")).statusCode())
                .isEqualTo(401);
    }

    @Test
    void expiredTokenIsRefused() {
        String token = ConnectJwts.hs256(site.sharedSecret(), site.requestClaims("GET", "/api/tenant", "alice")
                .issueTime(new Date(System.currentTimeMillis() - 3_600_000))
                .expirationTime(new Date(System.currentTimeMillis() - 1_800_000)).build());

        assertThat(app.get("/api/tenant", token).statusCode()).isEqualTo(401);
    }

    @Test
    void tokenOfUnknownTenantIsRefused() {
        JiraSite stranger = JiraSite.random("stranger");

        assertThat(app.get("/api/tenant", stranger.requestToken("GET", "/api/tenant", "x")).statusCode())
                .isEqualTo(401);
    }

    @Test
    void contextTokenIsNotAcceptedWhereARequestTokenIsRequired() {
        String token = ConnectJwts.hs256(site.sharedSecret(),
                ConnectJwts.claims(site.clientKey(), "context-qsh", Duration.ofMinutes(3)).subject("alice").build());

        assertThat(app.get("/api/tenant", token).statusCode()).isEqualTo(401);
    }

    @Test
    void descriptorAndHealthArePublic() {
        assertThat(app.get("/atlassian-connect.json", null).statusCode()).isEqualTo(200);
        assertThat(app.get("/actuator/health", null).statusCode()).isEqualTo(200);
    }

    @Test
    void otherActuatorEndpointsAreNotReachable() {
        for (String path : new String[] {"/actuator/env", "/actuator/beans", "/actuator/configprops"}) {
            assertThat(app.get(path, null).statusCode()).as(path).isIn(401, 404);
            assertThat(app.get(path, site.requestToken("GET", path, "alice")).statusCode()).as(path)
                    .isIn(401, 404);
        }
    }
}
