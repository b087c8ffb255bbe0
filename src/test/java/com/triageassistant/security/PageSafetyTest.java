package com.triageassistant.security;

import static com.triageassistant.security.SecurityFixture.PROJECT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.triageassistant.ingest.IssueStore;
import com.triageassistant.jira.emulator.EmulatedIssue;
import com.triageassistant.security.SecurityFixture.Tenant;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the pages Jira frames do with hostile text, and who may frame them. Jira sends the issue's fields
 * (webhooks), its people send settings, the models' reasons come from issue text: every one of them is shown as
 * text, in elements and attributes, never as markup. (In a real browser: {@code IssueViewBrowserTest}, order 3.)
 */
class PageSafetyTest {

    /** Markup for element content, for attributes in double and in single quotes. */
    static final List<String> PAYLOADS = List.of("<img src=x onerror=alert(1)>", "\"><script>alert(2)</script>",
            "' onmouseover='alert(3)");

    @TempDir
    static Path dataDir;

    static SecurityFixture fx;
    static Tenant a;
    static long hostileIssueId = 20_001;

    @BeforeAll
    static void start() {
        fx = SecurityFixture.start(dataDir);
        a = fx.a;
        // An issue whose every field the glance shows carries markup, as Jira would deliver it.
        String webhook = "{\"timestamp\":" + System.currentTimeMillis() + ",\"webhookEvent\":\"jira:issue_created\","
                + "\"issue\":{\"id\":\"" + hostileIssueId + "\",\"key\":\"SEC-99\",\"fields\":{"
                + "\"project\":{\"key\":\"SEC\"},\"summary\":" + SecurityFixture.json(PAYLOADS.get(0))
                + ",\"issuetype\":{\"name\":" + SecurityFixture.json(PAYLOADS.get(1)) + "},"
                + "\"labels\":" + array(PAYLOADS) + ",\"components\":[{\"name\":"
                + SecurityFixture.json(PAYLOADS.get(1)) + "},{\"name\":" + SecurityFixture.json(PAYLOADS.get(2)) + "}],"
                + "\"priority\":{\"name\":" + SecurityFixture.json(PAYLOADS.get(0)) + "},"
                + "\"reporter\":{\"accountId\":" + SecurityFixture.json(PAYLOADS.get(2)) + "},"
                + "\"created\":\"2026-01-01T00:00:00.000+0000\",\"updated\":\"2026-01-01T00:00:00.000+0000\"}}}";
        assertThat(a.site().callApp("POST", "/webhooks/issue-created", null, webhook).statusCode()).isEqualTo(204);
        await().atMost(Duration.ofSeconds(20)).until(() -> fx.app.bean(IssueStore.class)
                .find(a.clientKey(), hostileIssueId).isPresent());
        EmulatedIssue hostile = new EmulatedIssue(hostileIssueId, "SEC-99", PROJECT, "Bug", "x", null, List.of(),
                List.of(), "Medium", null, null, a.issue().created(), a.issue().updated());
        // suggested values and every kind of reason, as a model trained on such issues would store them
        String[] kinds = {"word", "component", "type", "reporter", "other"};
        for (int i = 0; i < PAYLOADS.size(); i++) {
            String payload = PAYLOADS.get(i);
            SecurityFixture.storeSuggestion(fx.app, a, hostile, List.of("assignee", "labels", "components").get(i),
                    payload, kinds[i] + ":" + payload);
        }
        SecurityFixture.storeSuggestion(fx.app, a, hostile, "priority", PAYLOADS.get(0), "reporter:" + PAYLOADS.get(1));
    }

    @AfterAll
    static void stop() {
        if (fx != null) {
            fx.close();
        }
    }

    @Test
    void markupInEveryFieldOfTheGlanceIsText() {
        String clean = glance(a.issue().id(), "SEC-1").body();
        String cleanRefresh = refresh(a.issue().id());
        HttpResponse<String> page = glance(hostileIssueId, "SEC-99");
        String refresh = refresh(hostileIssueId);

        assertThat(page.statusCode()).isEqualTo(200);
        for (String body : List.of(page.body(), refresh)) {
            assertThat(body).contains("data-target=\"labels\"").contains("&lt;img src=x onerror=alert(1)&gt;")
                    .contains("&quot;&gt;&lt;script&gt;alert(2)&lt;/script&gt;");
        }
        assertNoMarkupOfItsOwn(page.body(), clean);
        assertNoMarkupOfItsOwn(refresh, cleanRefresh);
    }

    @Test
    void markupInTheIframeUrlsParametersIsText() {
        for (String payload : PAYLOADS) {
            // an issue the app does not know: the page names it from the URL's issueKey
            String body = glance(999_999, payload).body();

            assertNoMarkupOfItsOwn(body, glance(999_999, "SEC-1").body());
        }
    }

    @Test
    void markupInSettingsIsTextOnTheSettingsPage() {
        String path = "/admin/project?projectId=10000&projectKey=SEC";
        String clean = fx.send("GET", path, a.site().requestToken("GET", path, a.admin().accountId()), null).body();
        String cleanRefresh = fx.send("GET", "/api/projects/SEC/admin", context(), null).body();
        String settings = "{\"enabled\":true,\"threshold\":0.5,\"autoApply\":\"OFF\",\"excluded\":" + array(PAYLOADS) + "}";
        assertThat(fx.send("PUT", "/api/projects/SEC/settings/labels", context(), settings).statusCode())
                .isEqualTo(200);

        String page = fx.send("GET", path, a.site().requestToken("GET", path, a.admin().accountId()), null).body();
        String refresh = fx.send("GET", "/api/projects/SEC/admin", context(), null).body();

        for (String body : List.of(page, refresh)) {
            assertThat(body).contains("&lt;img src=x onerror=alert(1)&gt;");
        }
        assertNoMarkupOfItsOwn(page, clean);
        assertNoMarkupOfItsOwn(refresh, cleanRefresh);
    }

    /**
     * A page in a foreign origin's frame: the browser refuses it, because {@code frame-ancestors} names only the
     * tenant's own Jira (its base and display URL). No X-Frame-Options: it cannot name Jira (ACSB turns it off).
     */
    @Test
    void pagesMayBeFramedOnlyByTheTenantsOwnJira() {
        for (Tenant tenant : List.of(fx.a, fx.b)) {
            String glance = "/glance?issueId=" + tenant.issue().id() + "&issueKey=SEC-1&projectId=1&projectKey=SEC";
            String admin = "/admin/project?projectId=1&projectKey=SEC";
            String contextToken = tenant.site().contextToken(tenant.admin().accountId());
            List<HttpResponse<String>> pages = List.of(
                    fx.send("GET", glance, tenant.site().requestToken("GET", glance, tenant.admin().accountId()), null),
                    fx.send("GET", admin, tenant.site().requestToken("GET", admin, tenant.admin().accountId()), null),
                    fx.send("GET", "/api/issues/" + tenant.issue().id() + "/glance", contextToken, null),
                    fx.send("GET", "/api/projects/SEC/admin", contextToken, null));
            String origin = origin(tenant.site().baseUrl());
            String otherOrigin = origin((tenant == fx.a ? fx.b : fx.a).site().baseUrl());

            for (HttpResponse<String> page : pages) {
                assertThat(page.statusCode()).isEqualTo(200);
                String csp = page.headers().firstValue("Content-Security-Policy").orElseThrow();
                assertThat(directive(csp, "frame-ancestors")).containsExactly(origin).doesNotContain(otherOrigin);
                assertThat(directive(csp, "default-src")).containsExactly("'none'");
                assertThat(directive(csp, "script-src")).containsExactly("'self'",
                        "https://connect-cdn.atl-paas.net");
                assertThat(page.headers().firstValue("X-Frame-Options")).isEmpty();
                assertThat(page.headers().firstValue("Cache-Control")).contains("no-store");
                assertThat(page.headers().firstValue("Referrer-Policy")).contains("no-referrer");
                assertThat(page.headers().firstValue("X-Content-Type-Options")).contains("nosniff");
            }
        }
    }

    /**
     * No payload verbatim, no event handler in any tag (attribute values, always double-quoted, blanked first: a
     * payload's text may sit in one, escaped), and no more script, img or svg elements than the clean page has.
     */
    private static void assertNoMarkupOfItsOwn(String body, String clean) {
        PAYLOADS.forEach(payload -> assertThat(body).doesNotContain(payload));
        String tags = body.replaceAll("=\"[^\"]*\"", "=\"\"");
        assertThat(tags).doesNotContainPattern("<[^>]*\\son\\w+\\s*=");
        for (String element : List.of("<script", "<img", "<svg", "<iframe")) {
            assertThat(count(body.toLowerCase(), element)).as(element).isEqualTo(count(clean.toLowerCase(), element));
        }
    }

    private static HttpResponse<String> glance(long issueId, String issueKey) {
        String path = "/glance?issueId=" + issueId + "&issueKey=" + URLEncoder.encode(issueKey, StandardCharsets.UTF_8)
                .replace("+", "%20") + "&projectId=10000&projectKey=SEC";
        return fx.send("GET", path, a.site().requestToken("GET", path, a.member().accountId()), null);
    }

    private static String refresh(long issueId) {
        return fx.send("GET", "/api/issues/" + issueId + "/glance?issueKey=SEC-99&projectKey=SEC", context(), null)
                .body();
    }

    private static String context() {
        return a.site().contextToken(a.admin().accountId());
    }

    private static List<String> directive(String csp, String name) {
        return Arrays.stream(csp.split(";")).map(String::strip).filter(d -> d.startsWith(name + " "))
                .findFirst().map(d -> List.of(d.substring(name.length() + 1).strip().split("\\s+")))
                .orElseThrow(() -> new AssertionError("no " + name + " in " + csp));
    }

    private static String origin(String url) {
        URI uri = URI.create(url);
        return uri.getScheme() + "://" + uri.getRawAuthority();
    }

    private static int count(String text, String what) {
        Matcher matcher = Pattern.compile(Pattern.quote(what)).matcher(text);
        int n = 0;
        while (matcher.find()) {
            n++;
        }
        return n;
    }

    static String array(List<String> values) {
        return "[" + String.join(",", values.stream().map(SecurityFixture::json).toList()) + "]";
    }
}
