package com.triageassistant.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import com.nimbusds.jwt.JWTClaimsSet;
import com.triageassistant.ingest.IssueStore;
import com.triageassistant.jira.emulator.ConnectJwts;
import com.triageassistant.jira.emulator.EmulatedIssue;
import com.triageassistant.jira.emulator.EmulatedSite;
import com.triageassistant.jira.emulator.EmulatedUser;
import com.triageassistant.jira.emulator.Http;
import com.triageassistant.jira.emulator.JiraEmulator;
import com.triageassistant.store.IgniteSql;
import com.triageassistant.store.TenantDataEraser;
import com.triageassistant.support.AppInstance;
import com.triageassistant.support.ConnectFixture;
import com.triageassistant.support.NodeSpec;

/**
 * What every security test class shares: the real app (its ML sidecar off: no case needs a model, and a stored
 * suggestion row is what the pages and feedback read) installed by two emulated Jira sites. Both sites have a
 * project {@value #PROJECT} (project keys and issue ids are per site, so the two tenants' keys and ids collide,
 * as they do in Jira Cloud); site B also has {@value #B_ONLY}, whose issues have ids site A never had.
 */
final class SecurityFixture implements AutoCloseable {

    static final String PROJECT = "SEC";
    static final String B_ONLY = "BEE";

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    /** One Jira site with the app installed, its people and issues. */
    record Tenant(EmulatedSite site, EmulatedUser admin, EmulatedUser member, List<EmulatedIssue> issues) {

        String clientKey() {
            return site.clientKey();
        }

        EmulatedIssue issue() {
            return issues.get(0);
        }

        /** The value the app suggested (a stored row) for every one of this tenant's issues. */
        String suggestedValue() {
            return member.accountId();
        }
    }

    final JiraEmulator jira;
    final AppInstance app;
    final Tenant a;
    final Tenant b;

    private SecurityFixture(JiraEmulator jira, AppInstance app, Tenant a, Tenant b) {
        this.jira = jira;
        this.app = app;
        this.a = a;
        this.b = b;
    }

    static SecurityFixture start(Path dataDir) {
        JiraEmulator jira = new JiraEmulator();
        AppInstance app = AppInstance.start(NodeSpec.single(dataDir), Map.of(
                "atlassian.connect.public-key-base-url", jira.keyServerUrl(),
                "triage.ml.enabled", "false"));
        try {
            Tenant a = tenant(jira, app, "tenant-a", List.of(PROJECT));
            Tenant b = tenant(jira, app, "tenant-b", List.of(PROJECT, B_ONLY));
            return new SecurityFixture(jira, app, a, b);
        } catch (RuntimeException | Error e) {
            app.close();
            jira.close();
            throw e;
        }
    }

    private static Tenant tenant(JiraEmulator jira, AppInstance app, String name, List<String> projects) {
        EmulatedSite site = jira.createSite(name);
        EmulatedUser admin = site.createUser("Admin of " + name);
        EmulatedUser member = site.createUser("Member of " + name);
        List<EmulatedIssue> issues = new ArrayList<>();
        for (String project : projects) {
            site.createProject(project, project + " project", List.of("Bug", "Task"), List.of("api", "ui"));
            site.makeProjectAdmin(project, admin.accountId());
            site.makeAssignable(project, admin.accountId(), member.accountId());
            for (int i = 0; i < 3; i++) {
                issues.add(site.createIssue(project, "Bug", name + " crash " + i, null, List.of("api"),
                        List.of("crash"), "Medium", null, admin.accountId()));
            }
        }
        assertThat(site.install(app.url())).isEqualTo(204);
        IssueStore store = app.bean(IssueStore.class);
        await().atMost(Duration.ofSeconds(60)).until(() -> issues.stream()
                .allMatch(issue -> store.find(site.clientKey(), issue.id()).isPresent()));
        Tenant tenant = new Tenant(site, admin, member, List.copyOf(issues));
        for (EmulatedIssue issue : issues) {
            storeSuggestion(app, tenant, issue, "assignee", tenant.suggestedValue(), "word:crash");
        }
        return tenant;
    }

    /**
     * A suggestion row as the suggestion service stores it (the sidecar is off here), so the glance has items
     * and feedback has a value it accepts.
     */
    static void storeSuggestion(AppInstance app, Tenant tenant, EmulatedIssue issue, String target, String value,
                                String feature) {
        String ranked = "[{\"value\":" + json(value) + ",\"p\":0.9,\"because\":[{\"kind\":"
                + json(feature.substring(0, feature.indexOf(':'))) + ",\"feature\":" + json(feature)
                + ",\"weight\":1.5}]}]";
        app.bean(IgniteSql.class).update("MERGE INTO suggestion (client_key, issue_id, target, project_key, "
                        + "model_version, ranked, issue_updated, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                tenant.clientKey(), issue.id(), target, issue.projectKey(), 1, ranked,
                Timestamp.from(Instant.parse("2000-01-01T00:00:00Z")), Timestamp.from(Instant.now()));
    }

    static String json(String text) {
        StringBuilder out = new StringBuilder("\"");
        for (char c : text.toCharArray()) {
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                default -> {
                    if (c < 0x20) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        return out.append('"').toString();
    }

    // ---- tokens ----

    /** The RS256 token a site signs {@code installed}/{@code uninstalled} with. */
    String lifecycleToken(Tenant tenant, String path) {
        return ConnectJwts.rs256(jira.installKey(), lifecycleClaims(tenant, path).build());
    }

    JWTClaimsSet.Builder lifecycleClaims(Tenant tenant, String path) {
        return ConnectJwts.claims(tenant.clientKey(), ConnectJwts.qsh("POST", path), Duration.ofMinutes(3))
                .audience(app.url());
    }

    /** A lifecycle body as Jira sends it, for {@code event}. */
    String lifecycleBody(Tenant tenant, String event) {
        EmulatedSite site = tenant.site();
        return "{\"key\":\"" + ConnectFixture.APP_KEY + "\",\"clientKey\":\"" + site.clientKey()
                + "\",\"sharedSecret\":\"" + site.sharedSecret() + "\",\"baseUrl\":\"" + site.baseUrl()
                + "\",\"displayUrl\":\"" + site.baseUrl() + "\",\"productType\":\"jira\",\"description\":"
                + "\"Atlassian JIRA at " + site.baseUrl() + "\",\"eventType\":\"" + event + "\"}";
    }

    // ---- HTTP ----

    HttpResponse<String> send(String method, String pathAndQuery, String token, String body) {
        return send(method, pathAndQuery, token, body, Map.of());
    }

    HttpResponse<String> send(String method, String pathAndQuery, String token, String body,
                              Map<String, String> headers) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(app.url() + pathAndQuery))
                .timeout(Duration.ofSeconds(30))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body));
        if (body != null) {
            request.header("Content-Type", "application/json");
        }
        if (token != null) {
            request.header("Authorization", "JWT " + token);
        }
        headers.forEach(request::header);
        return Http.send(HTTP, request.build());
    }

    // ---- what "nothing changed" means ----

    /**
     * Every row the app holds for a tenant, table by table, as text. Columns the app's own schedulers rewrite
     * without any request (a training job's attempt bookkeeping while the sidecar is off) are left out: no
     * request can reach them, and leaving them in would make every comparison racy.
     */
    Map<String, List<String>> rows(String clientKey) {
        IgniteSql sql = app.bean(IgniteSql.class);
        Map<String, List<String>> rows = new TreeMap<>();
        for (String table : app.bean(TenantDataEraser.class).tenantTables()) {
            String columns = table.equals("TRAINING_JOB") ? "project_key, target, reason, rerun, requested_at" : "*";
            rows.put(table, sql.query("SELECT " + columns + " FROM \"" + table + "\" WHERE client_key = ?",
                    row -> row.values().toString(), clientKey).stream().sorted().toList());
        }
        return rows;
    }

    /** Both tenants' rows and what each site's issues look like in Jira. */
    Object state() {
        return List.of(rows(a.clientKey()), rows(b.clientKey()), a.site().issues(PROJECT), b.site().issues(PROJECT),
                b.site().issues(B_ONLY));
    }

    @Override
    public void close() {
        app.close();
        jira.close();
    }
}
