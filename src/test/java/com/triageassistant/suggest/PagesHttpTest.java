package com.triageassistant.suggest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import com.triageassistant.ingest.IssueRecord;
import com.triageassistant.ingest.IssueStore;
import com.triageassistant.jira.emulator.EmulatedIssue;
import com.triageassistant.jira.emulator.EmulatedSite;
import com.triageassistant.jira.emulator.JiraEmulator;
import com.triageassistant.jira.generator.GeneratorConfig;
import com.triageassistant.jira.generator.ProjectGenerator;
import com.triageassistant.ml.ModelRegistry;
import com.triageassistant.support.AppInstance;
import com.triageassistant.support.NodeSpec;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The glance and the project settings page over HTTP, as Jira loads them into its iframes. */
class PagesHttpTest {

    @TempDir
    static Path dataDir;

    static JiraEmulator jira;
    static AppInstance app;
    static EmulatedSite site;

    @BeforeAll
    static void start() {
        jira = new JiraEmulator();
        app = AppInstance.start(NodeSpec.single(dataDir), Map.of(
                "atlassian.connect.public-key-base-url", jira.keyServerUrl()));
        site = jira.createSite("pages");
        site.load(new ProjectGenerator(GeneratorConfig.defaults(11, "PG").withIssueCount(1_500)).generate());
        assertThat(site.install(app.url())).isEqualTo(204);
        ModelRegistry registry = app.bean(ModelRegistry.class);
        await().atMost(Duration.ofMinutes(3)).until(() -> List.of("assignee", "priority").stream()
                .allMatch(target -> registry.active(site.clientKey(), "PG", target).isPresent()));
    }

    @AfterAll
    static void stop() {
        app.close();
        jira.close();
    }

    @Test
    void theGlanceShowsRankedExplainedSuggestionsAndOnlyJiraMayFrameIt() {
        IssueRecord template = app.bean(IssueStore.class).projectIssues(site.clientKey(), "PG").get(0);
        EmulatedIssue created = site.createIssue("PG", template.issueType(), "<script>alert(1)</script> "
                + template.summary(), null, template.components(), List.of(), "Medium", null, template.reporter());
        await().atMost(Duration.ofSeconds(30)).until(() -> !app.bean(SuggestionStore.class)
                .find(site.clientKey(), created.id()).isEmpty());

        HttpResponse<String> page = site.callApp("GET", "/glance?issueId=" + created.id() + "&issueKey="
                + created.key() + "&projectId=1&projectKey=PG", template.reporter(), null);

        System.out.println(page.body());
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.headers().firstValue("Content-Security-Policy")).get().asString()
                .contains("frame-ancestors " + site.baseUrl());
        assertThat(page.body()).contains("data-action=\"apply\"").doesNotContain("<script>alert(1)");
    }

    @Test
    void theSettingsPageRenders() {
        HttpResponse<String> page = site.callApp("GET", "/admin/project?projectId=1&projectKey=PG",
                app.bean(IssueStore.class).projectIssues(site.clientKey(), "PG").get(0).reporter(), null);
        System.out.println(page.body());
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.body()).contains("Training history");
    }
}
