package com.triageassistant.jira.emulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.nimbusds.jwt.SignedJWT;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The emulator's browser session over plain HTTP: who a cookie makes the caller, what it may not be used for (writes
 * from other origins, borrowing the app's identity or lending its own), and where sign-in may send the browser.
 */
class EmulatorBrowserSessionTest {

    static final HttpClient HTTP = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();

    static JiraEmulator jira;
    static RecordingApp recordingApp;
    static EmulatedSite site;
    static AppClient app;
    static EmulatedUser ada;
    static EmulatedUser max;
    static String maxCookie;

    @BeforeAll
    static void start() {
        jira = new JiraEmulator();
        recordingApp = new RecordingApp();
        site = jira.createSite("sessions");
        site.createProject("ACME", "Acme", List.of("Bug"), List.of("api"));
        ada = site.createUser("Ada Admin");
        max = site.createUser("Max Member");
        site.makeAssignable("ACME", ada.accountId(), max.accountId());
        site.makeProjectAdmin("ACME", ada.accountId());
        site.createIssue("ACME", "Bug", "First", null, List.of(), List.of(), "Medium", null, ada.accountId());
        assertThat(site.install(recordingApp.url())).isEqualTo(204);
        app = new AppClient(site, RecordingApp.KEY);
        maxCookie = signIn(max.accountId(), "/").headers().firstValue("Set-Cookie").orElseThrow().split(";")[0];
    }

    @AfterAll
    static void stop() {
        jira.close();
        recordingApp.close();
    }

    @Test
    void signInSetsAnHttpOnlyCookieAndOnlyReturnsWithinTheSite() {
        HttpResponse<String> signedIn = signIn(max.accountId(), "/browse/ACME-1");
        assertThat(signedIn.statusCode()).isEqualTo(302);
        assertThat(signedIn.headers().firstValue("Location")).contains("/browse/ACME-1");
        assertThat(signedIn.headers().firstValue("Set-Cookie")).get().asString()
                .contains("HttpOnly").contains("SameSite=Lax").contains("Path=/");

        for (String elsewhere : List.of("//evil.example/x", "https://evil.example/", "/\\evil.example")) {
            assertThat(signIn(max.accountId(), elsewhere).headers().firstValue("Location")).as(elsewhere).contains("/");
        }
        assertThat(signIn("no-such-account", "/").statusCode()).isEqualTo(400);
        assertThat(signIn(site.appAccountId(), "/").statusCode()).as("nobody signs in as the app").isEqualTo(400);
    }

    @Test
    void pagesAskWhoYouAreAndLiveOnTheSitesOwnOrigin() {
        HttpResponse<String> anonymous = send(request("/browse/ACME-1").GET(), null);
        assertThat(anonymous.statusCode()).isEqualTo(302);
        assertThat(anonymous.headers().firstValue("Location")).contains("/sandbox/login?return=%2Fbrowse%2FACME-1");

        int port = URI.create(site.baseUrl()).getPort();
        HttpResponse<String> otherHost = send(HttpRequest.newBuilder(
                URI.create("http://localhost:" + port + "/browse/ACME-1")).GET(), maxCookie);
        assertThat(otherHost.headers().firstValue("Location")).contains(site.baseUrl() + "/browse/ACME-1");

        HttpResponse<String> page = send(request("/browse/ACME-1").GET(), maxCookie);
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.headers().firstValue("Content-Security-Policy")).get().asString()
                .contains("script-src 'self'").contains("frame-src " + recordingApp.url());
    }

    @Test
    void restCallsWithTheCookieActAsThatPersonAndAreNotTheApps() {
        EmulatedIssue issue = site.createIssue("ACME", "Bug", "Take me", null, List.of(), List.of(), "Medium", null,
                ada.accountId());
        int appCalls = site.appRequests().size();

        HttpResponse<String> put = send(request("/rest/api/3/issue/" + issue.key()).header("Origin", site.baseUrl())
                .header("Content-Type", "application/json").PUT(HttpRequest.BodyPublishers.ofString(
                        "{\"fields\":{\"assignee\":{\"accountId\":\"" + max.accountId() + "\"}}}")), maxCookie);

        assertThat(put.statusCode()).isEqualTo(204);
        assertThat(site.issue(issue.key()).orElseThrow().assignee()).isEqualTo(max.accountId());
        assertThat(site.appRequests()).hasSize(appCalls);
        await().untilAsserted(() -> assertThat(recordingApp.deliveries()).anySatisfy(delivery -> {
            assertThat(delivery.body().path("issue").path("key").asText()).isEqualTo(issue.key());
            assertThat(delivery.body().path("user").path("accountId").asText()).isEqualTo(max.accountId());
        }));
        JsonNode mine = AppClient.json(send(request("/rest/api/3/mypermissions?projectKey=ACME&permissions="
                + "ADMINISTER_PROJECTS").GET(), maxCookie).body());
        assertThat(mine.at("/permissions/ADMINISTER_PROJECTS/havePermission").asBoolean()).isFalse();
    }

    @Test
    void writesWithTheCookieFromAnotherOriginAreRefused() {
        EmulatedIssue issue = site.createIssue("ACME", "Bug", "Keep me", null, List.of(), List.of(), "Medium", null,
                ada.accountId());
        String body = "{\"fields\":{\"assignee\":{\"accountId\":\"" + max.accountId() + "\"}}}";

        for (String origin : List.of(recordingApp.url(), "null")) {
            assertThat(send(request("/rest/api/3/issue/" + issue.key()).header("Origin", origin)
                    .PUT(HttpRequest.BodyPublishers.ofString(body)), maxCookie).statusCode()).as(origin).isEqualTo(403);
        }
        assertThat(send(request("/rest/api/3/issue/" + issue.key()).PUT(HttpRequest.BodyPublishers.ofString(body)),
                maxCookie).statusCode()).as("no Origin").isEqualTo(403);
        assertThat(send(request("/plugins/servlet/ac/context-token").header("Origin", recordingApp.url())
                .POST(HttpRequest.BodyPublishers.ofString("{}")), maxCookie).statusCode()).isEqualTo(403);
        assertThat(site.issue(issue.key()).orElseThrow().assignee()).isNull();
    }

    @Test
    void aRequestWithAJwtIsTheAppsWhateverCookieItCarries() {
        String path = "/rest/api/3/project/ACME";
        String foreignToken = ConnectJwts.hs256("not-the-shared-secret-not-the-shared-secret",
                app.claims("GET", path).build());

        assertThat(send(request(path).header("Authorization", "JWT " + foreignToken).GET(), maxCookie).statusCode())
                .as("a bad JWT is not rescued by the cookie").isEqualTo(401);
        HttpResponse<String> asApp = send(request(path).header("Authorization", "JWT " + app.token("GET", path, null))
                .GET(), maxCookie);
        assertThat(asApp.statusCode()).isEqualTo(200);
        assertThat(site.appRequests().get(site.appRequests().size() - 1).accountId())
                .as("the cookie's person does not become the app's user").isNull();
    }

    @Test
    void contextTokensAndPermissionChecksAreForTheSignedInPersonOnly() throws Exception {
        HttpResponse<String> anonymous = send(request("/plugins/servlet/ac/context-token")
                .header("Origin", site.baseUrl()).POST(HttpRequest.BodyPublishers.ofString("{}")), null);
        assertThat(anonymous.statusCode()).isEqualTo(401);

        HttpResponse<String> token = send(request("/plugins/servlet/ac/context-token").header("Origin", site.baseUrl())
                .POST(HttpRequest.BodyPublishers.ofString("{\"issueKey\":\"ACME-1\"}")), maxCookie);
        assertThat(token.statusCode()).isEqualTo(200);
        assertThat(SignedJWT.parse(AppClient.json(token.body()).path("token").asText()).getJWTClaimsSet().getSubject())
                .isEqualTo(max.accountId());

        String aboutAda = "{\"accountId\":\"" + ada.accountId() + "\",\"globalPermissions\":[\"USER_PICKER\"]}";
        assertThat(send(request("/rest/api/3/permissions/check").header("Origin", site.baseUrl())
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(aboutAda)),
                maxCookie).statusCode()).isEqualTo(403);
        assertThat(send(request("/rest/api/3/permissions/check").header("Origin", site.baseUrl())
                .POST(HttpRequest.BodyPublishers.ofString("{\"globalPermissions\":[\"USER_PICKER\"]}")), maxCookie)
                .statusCode()).isEqualTo(200);
    }

    private static HttpResponse<String> signIn(String accountId, String returnPath) {
        return send(request("/sandbox/login?accountId=" + accountId + "&return="
                + HostPageViews.encode(returnPath)).GET(), null);
    }

    private static HttpRequest.Builder request(String pathAndQuery) {
        return HttpRequest.newBuilder(URI.create(site.baseUrl() + pathAndQuery));
    }

    private static HttpResponse<String> send(HttpRequest.Builder request, String cookie) {
        if (cookie != null) {
            request.header("Cookie", cookie);
        }
        return Http.send(HTTP, request.timeout(Duration.ofSeconds(30)).build());
    }
}
