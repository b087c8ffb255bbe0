package com.triageassistant.security;

import static com.triageassistant.security.SecurityFixture.PROJECT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import com.triageassistant.ingest.IssueRecord;
import com.triageassistant.ingest.IssueStore;
import com.triageassistant.security.SecurityFixture.Tenant;
import com.triageassistant.suggest.TargetSettingsStore;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * SQL meta-characters, huge and deeply nested JSON in every parameter and payload, sent with genuine tokens (so
 * they reach the code that reads them). Identifiers are refused as not being ids; free text is bound, never
 * spliced, and comes back as it was sent; oversized and over-deep bodies are refused before anything is stored.
 */
class InjectionAndPayloadTest {

    static final List<String> SQL = List.of("x'OR'1'='1'--", "1;DROP TABLE issue;--", "%' OR 1=1 --",
            "x\\';DELETE FROM atlassian_host;--");

    @TempDir
    static Path dataDir;

    static SecurityFixture fx;
    static Tenant a;

    @BeforeAll
    static void start() {
        fx = SecurityFixture.start(dataDir);
        a = fx.a;
    }

    @AfterAll
    static void stop() {
        if (fx != null) {
            fx.close();
        }
    }

    /** Paths and queries with {@code %s} where the payload goes, and whether Jira signs it for the request. */
    static Stream<Arguments> parameters() {
        List<Object[]> places = List.of(
                new Object[] {"GET", "/glance?issueId=%s&issueKey=SEC-1&projectId=1&projectKey=SEC", false},
                new Object[] {"GET", "/admin/project?projectId=1&projectKey=%s", false},
                new Object[] {"POST", "/webhooks/%s", false},
                new Object[] {"GET", "/api/issues/%s/suggestions", false},
                new Object[] {"GET", "/api/projects/%s/models", false},
                new Object[] {"GET", "/api/projects/%s/history", false},
                new Object[] {"POST", "/api/projects/%s/backfill", false},
                new Object[] {"POST", "/api/inbox/dead/%s/replay", false},
                new Object[] {"GET", "/api/issues/%s/glance", true},
                new Object[] {"GET", "/api/issues/%s/view", true},
                new Object[] {"POST", "/api/issues/%s/feedback", true},
                new Object[] {"GET", "/api/projects/%s/admin", true},
                new Object[] {"PUT", "/api/projects/%s/settings/assignee", true},
                new Object[] {"PUT", "/api/projects/SEC/settings/%s", true},
                new Object[] {"POST", "/api/projects/%s/train", true});
        return places.stream().flatMap(place -> SQL.stream().map(sql -> Arguments.of(place[0], place[1], place[2], sql)));
    }

    @ParameterizedTest(name = "{0} {1} with {3}")
    @MethodSource("parameters")
    void sqlMetaCharactersInAnIdParameterAreRefusedAsNoSuchThing(String method, String template, boolean context,
                                                                 String sql) {
        String pathAndQuery = template.formatted(URLEncoder.encode(sql, StandardCharsets.UTF_8).replace("+", "%20"));
        String body = method.equals("GET") ? null : switch (template.substring(template.lastIndexOf('/') + 1)) {
            case "feedback" -> "{\"target\":\"assignee\",\"value\":\"v\",\"action\":\"accepted\"}";
            case "assignee", "%s" -> "{\"enabled\":true,\"threshold\":0.5,\"autoApply\":\"OFF\",\"excluded\":[]}";
            default -> "{}";
        };
        String token = context ? a.site().contextToken(a.admin().accountId())
                : a.site().requestToken(method, pathAndQuery, a.admin().accountId());
        Object before = fx.state();

        HttpResponse<String> response = fx.send(method, pathAndQuery, token, body);

        assertThat(response.statusCode()).as(response.body()).isIn(400, 404);
        assertThat(response.body()).doesNotContain(fx.b.clientKey()).doesNotContainIgnoringCase("SQLException")
                .doesNotContain("at com.");
        assertThat(fx.state()).isEqualTo(before);
    }

    @Test
    void sqlMetaCharactersInTheGlancesTextParametersAreText() {
        Object before = fx.state();
        for (String sql : SQL) {
            String encoded = URLEncoder.encode(sql, StandardCharsets.UTF_8).replace("+", "%20");
            String path = "/glance?issueId=999999&issueKey=" + encoded + "&projectId=1&projectKey=" + encoded;

            HttpResponse<String> response = fx.send("GET", path, a.site().requestToken("GET", path, null), null);

            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(response.body()).doesNotContain(a.suggestedValue()).doesNotContain(fx.b.suggestedValue());
        }
        assertThat(fx.state()).isEqualTo(before);
    }

    @Test
    void sqlMetaCharactersInPayloadsAreStoredAndShownAsSent() {
        var bBefore = fx.rows(fx.b.clientKey());
        // an issue from Jira whose text fields are SQL
        long id = 30_001;
        String webhook = "{\"timestamp\":1,\"webhookEvent\":\"jira:issue_created\",\"issue\":{\"id\":\"" + id
                + "\",\"key\":\"SEC-300\",\"fields\":{\"project\":{\"key\":\"SEC\"},\"summary\":"
                + SecurityFixture.json(SQL.get(1)) + ",\"labels\":" + PageSafetyTest.array(SQL)
                + ",\"issuetype\":{\"name\":\"Bug\"},\"created\":\"2026-01-01T00:00:00.000+0000\","
                + "\"updated\":\"2026-01-01T00:00:00.000+0000\"}}}";
        assertThat(a.site().callApp("POST", "/webhooks/issue-created", null, webhook).statusCode()).isEqualTo(204);
        // a project admin's settings whose values are SQL
        HttpResponse<String> saved = fx.send("PUT", "/api/projects/SEC/settings/labels",
                a.site().contextToken(a.admin().accountId()), "{\"enabled\":true,\"threshold\":0.5,"
                        + "\"autoApply\":\"OFF\",\"excluded\":" + PageSafetyTest.array(SQL) + "}");
        // feedback whose target and value are SQL
        HttpResponse<String> feedback = fx.send("POST", "/api/issues/" + a.issue().id() + "/feedback",
                a.site().contextToken(a.admin().accountId()), "{\"target\":" + SecurityFixture.json(SQL.get(0))
                        + ",\"value\":" + SecurityFixture.json(SQL.get(2)) + ",\"action\":\"accepted\"}");

        IssueStore issues = fx.app.bean(IssueStore.class);
        await().atMost(Duration.ofSeconds(20)).until(() -> issues.find(a.clientKey(), id).isPresent());
        IssueRecord stored = issues.find(a.clientKey(), id).orElseThrow();
        assertThat(stored.summary()).isEqualTo(SQL.get(1));
        assertThat(stored.labels()).containsExactlyInAnyOrderElementsOf(SQL);
        assertThat(saved.statusCode()).isEqualTo(200);
        assertThat(fx.app.bean(TargetSettingsStore.class).get(a.clientKey(), PROJECT, "labels").excluded())
                .containsExactlyElementsOf(SQL);
        assertThat(feedback.statusCode()).isEqualTo(404);
        assertThat(issues.projectIssues(a.clientKey(), PROJECT)).hasSize(a.issues().size() + 1);
        assertThat(fx.rows(fx.b.clientKey())).isEqualTo(bBefore);
    }

    /** Every payload the app reads, with a genuine token; each body replaces the whole request body. */
    static Stream<Arguments> payloads() {
        return Stream.of(
                Arguments.of("POST", "/webhooks/issue-updated", false),
                Arguments.of("POST", "/lifecycle/enabled", false),
                Arguments.of("POST", "/installed", false),
                Arguments.of("POST", "/api/issues/{issue}/feedback", true),
                Arguments.of("PUT", "/api/projects/SEC/settings/assignee", true));
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("payloads")
    void deeplyNestedJsonIsRefused(String method, String path, boolean context) {
        // 20,000 levels (40 KB, under the lifecycle cap): past Jackson's nesting limit (1,000), which keeps the
        // parser off the stack's edge
        assertRefusedBody(method, path, context, "{\"a\":" + "[".repeat(20_000) + "]".repeat(20_000) + "}", 400);
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("payloads")
    void hugeJsonIsRefused(String method, String path, boolean context) {
        String huge = "{\"clientKey\":\"" + a.clientKey() + "\",\"target\":\"assignee\",\"padding\":\""
                + "x".repeat(3_000_000) + "\"}";
        // webhooks and every lifecycle call (enabled/disabled too) have a size cap; the pages' API reads the body and
        // finds nothing it names
        int status = path.startsWith("/api/") ? 400 : 413;
        assertRefusedBody(method, path, context, huge, status);
    }

    @Test
    void aHugeTokenIsRefused() {
        Object before = fx.state();
        String token = a.site().requestToken("GET", "/api/tenant", "x".repeat(100_000));

        assertThat(fx.send("GET", "/api/tenant", token, null).statusCode()).isIn(400, 401, 431);
        assertThat(fx.state()).isEqualTo(before);
    }

    private static void assertRefusedBody(String method, String path, boolean context, String body, int status) {
        String pathAndQuery = path.replace("{issue}", String.valueOf(a.issue().id()));
        String token = context ? a.site().contextToken(a.admin().accountId())
                : path.equals("/installed") ? fx.lifecycleToken(a, path)
                : a.site().requestToken(method, pathAndQuery, a.admin().accountId());
        Object before = fx.state();

        HttpResponse<String> response = fx.send(method, pathAndQuery, token, body,
                Map.of("X-Atlassian-Webhook-Identifier", "payload-" + System.nanoTime()));

        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        assertThat(fx.state()).isEqualTo(before);
        // the app still serves the tenant
        assertThat(fx.send("GET", "/api/tenant", a.site().requestToken("GET", "/api/tenant", null), null)
                .statusCode()).isEqualTo(200);
    }
}
