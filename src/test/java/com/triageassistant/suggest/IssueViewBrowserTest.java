package com.triageassistant.suggest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

import com.triageassistant.ingest.IssueRecord;
import com.triageassistant.ingest.IssueStore;
import com.triageassistant.jira.emulator.EmulatedIssue;
import com.triageassistant.jira.emulator.EmulatedSite;
import com.triageassistant.jira.emulator.EmulatedUser;
import com.triageassistant.jira.emulator.IssueEdit;
import com.triageassistant.jira.emulator.JiraEmulator;
import com.triageassistant.jira.generator.GeneratorConfig;
import com.triageassistant.jira.generator.ProjectGenerator;
import com.triageassistant.ml.ModelRegistry;
import com.triageassistant.ml.SidecarClient;
import com.triageassistant.ml.TrainingJobs;
import com.triageassistant.support.AppInstance;
import com.triageassistant.support.Browser;
import com.triageassistant.support.FreePorts;
import com.triageassistant.support.NodeSpec;
import com.triageassistant.support.SidecarProcesses;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.NoAlertPresentException;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The glance and the project settings page as people use them: in headless Chromium, on the emulator's issue
 * view and project settings, inside the iframes the emulator signs as Jira does, with its Connect API. One
 * trained project is shared (training is the slow part); tests that stop the sidecar or restart the app run last.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class IssueViewBrowserTest {

    private static final String PROJECT = "PG";
    private static final String SMALL = "TINY";
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @TempDir
    static Path dataDir;

    static JiraEmulator jira;
    static AppInstance app;
    static EmulatedSite site;
    static Browser browser;
    static EmulatedUser ada;
    static EmulatedUser max;
    static IssueRecord template;

    @BeforeAll
    static void start() {
        jira = new JiraEmulator();
        app = AppInstance.start(NodeSpec.single(dataDir), Map.of(
                // fixed, so the emulator still reaches the app after a restart
                "server.port", String.valueOf(FreePorts.next()),
                "atlassian.connect.public-key-base-url", jira.keyServerUrl(),
                "triage.ui.all-js-url", "{baseUrl}/atlassian-connect/all.js",
                "triage.ml.ping-interval", "300ms",
                "triage.ml.ping-timeout", "1s",
                "triage.ml.restart-backoff-initial", "12s"));
        site = jira.createSite("issue-view");
        site.load(new ProjectGenerator(GeneratorConfig.defaults(11, PROJECT).withIssueCount(1_500)).generate());
        site.createProject(SMALL, "Tiny", List.of("Bug"), List.of("api"));
        ada = site.createUser("Ada Admin");
        max = site.createUser("Max Member");
        site.makeProjectAdmin(PROJECT, ada.accountId());
        site.makeAssignable(PROJECT, ada.accountId(), max.accountId());
        site.makeAssignable(SMALL, ada.accountId(), max.accountId());
        for (int i = 0; i < 3; i++) {
            site.createIssue(SMALL, "Bug", "Crash number " + i, null, List.of("api"), List.of(), "High",
                    ada.accountId(), max.accountId());
        }
        assertThat(site.install(app.url())).isEqualTo(204);
        ModelRegistry registry = app.bean(ModelRegistry.class);
        await().atMost(Duration.ofMinutes(3)).until(() -> registry.active(site.clientKey(), PROJECT, "assignee")
                .isPresent() && !registry.versions(site.clientKey(), SMALL, "assignee").isEmpty()
                && !registry.versions(site.clientKey(), PROJECT, "priority").isEmpty());
        template = app.bean(IssueStore.class).projectIssues(site.clientKey(), PROJECT).get(0);
        browser = Browser.start();
    }

    @AfterAll
    static void stop() {
        if (browser != null) {
            browser.close();
        }
        app.close();
        jira.close();
    }

    @Test
    @Order(1)
    void theGlanceShowsRankedExplainedSuggestionsAndApplyChangesTheIssueAsThePerson() {
        EmulatedIssue issue = newIssue("Editor crashes when pasting a table");

        String assignee = inGlance(issue, max, () -> {
            WebElement item = browser.waitFor(By.cssSelector("[data-target=assignee] .item"));
            assertThat(item.findElement(By.cssSelector(".lozenge--confidence")).getText()).matches("\\d{1,3}%");
            assertThat(item.findElement(By.cssSelector(".because")).getText()).startsWith("Why:");
            // the person's name, looked up in Jira through AP.request, replaces the account id
            browser.waitUntil(() -> item.findElement(By.cssSelector(".item__value")).getAttribute("data-resolved")
                    != null);
            assertThat(item.findElement(By.cssSelector(".item__value")).getText())
                    .doesNotContain(item.getAttribute("data-value"));
            String value = item.getAttribute("data-value");
            browser.screenshot("glance");
            item.findElement(By.cssSelector("[data-action=apply]")).click();
            browser.waitFor(By.cssSelector("[data-target=assignee] .item--applied"));
            return value;
        });

        await().atMost(Duration.ofSeconds(10)).until(() -> assignee.equals(site.issue(issue.key()).orElseThrow()
                .assignee()));
        await().atMost(Duration.ofSeconds(10)).until(() -> feedback(issue).stream().anyMatch(f ->
                f.action() == FeedbackStore.Action.ACCEPTED && f.suggested().equals(assignee)));
        // the edit went from the browser as the person, not from the app's server
        assertThat(site.appRequests()).noneMatch(r -> r.method().equals("PUT")
                && r.path().equals("/rest/api/3/issue/" + issue.id()));
        // taking an offered value is not an override
        assertThat(feedback(issue)).noneMatch(f -> f.action() == FeedbackStore.Action.OVERRIDDEN);
    }

    @Test
    @Order(2)
    void dismissHidesTheSuggestionAndRecordsIt() {
        EmulatedIssue issue = newIssue("Table paste loses formatting in the editor");

        String dismissed = inGlance(issue, max, () -> {
            WebElement item = browser.waitFor(By.cssSelector("[data-target=assignee] .item"));
            String value = item.getAttribute("data-value");
            item.findElement(By.cssSelector("[data-action=dismiss]")).click();
            browser.waitUntil(() -> browser.driver().findElements(
                    By.cssSelector("[data-target=assignee] .item[data-value='" + value + "']")).isEmpty());
            return value;
        });

        assertThat(feedback(issue)).anySatisfy(f -> {
            assertThat(f.action()).isEqualTo(FeedbackStore.Action.DISMISSED);
            assertThat(f.suggested()).isEqualTo(dismissed);
        });
        inGlance(issue, ada, () -> {
            browser.waitFor(By.cssSelector("[data-target=assignee]"));
            assertThat(browser.driver().findElements(By.cssSelector(".item[data-value='" + dismissed + "']")))
                    .isEmpty();
            return null;
        });
        assertThat(site.issue(issue.key()).orElseThrow().assignee()).isNull();
    }

    @Test
    @Order(3)
    void issueTextIsShownAsTextNeverAsMarkup() {
        EmulatedIssue issue = site.createIssue(PROJECT, template.issueType(),
                "<script>alert(1)</script> " + template.summary(), null, template.components(),
                List.of("<img/src=x/onerror=alert(2)>"), "Medium", null, template.reporter());
        awaitSuggestions(issue);

        inGlance(issue, max, () -> {
            WebElement labels = browser.waitFor(By.cssSelector("[data-target=labels] .current"));
            assertThat(labels.getText()).contains("<img/src=x/onerror=alert(2)>");
            assertThat(browser.script("return document.querySelectorAll('script').length")).isEqualTo(3L);
            assertThat(browser.script("return document.querySelectorAll('img:not(.avatar)').length")).isEqualTo(0L);
            return null;
        });
        assertThat(noAlert()).isTrue();
    }

    @Test
    @Order(4)
    void applyAllTakesTheTopValueOfEveryTargetThatHasOne() {
        EmulatedIssue issue = newIssue("Editor loses the table when pasting twice");
        // The labels model suggests a label only above its own precision threshold, often none for a new issue: a
        // stored labels suggestion with two values, as the model writes them, makes the case certain.
        SuggestionStore.Suggestion labels = app.bean(SuggestionStore.class).find(site.clientKey(), issue.id())
                .stream().filter(row -> row.target().equals("labels")).findFirst().orElseThrow();
        app.bean(SuggestionStore.class).save(site.clientKey(), issue.id(), "labels", PROJECT, labels.modelVersion(),
                "[{\"value\":\"paste\",\"p\":0.91,\"because\":[{\"kind\":\"word\",\"feature\":\"word:paste\","
                        + "\"weight\":1.2}]},{\"value\":\"tables\",\"p\":0.74,\"because\":[]}]",
                labels.issueUpdated());

        Map<String, String> offered = inGlance(issue, max, () -> {
            browser.waitFor(By.cssSelector("[data-target=labels] .item"));
            Map<String, String> top = new HashMap<>();
            for (WebElement panel : browser.driver().findElements(By.cssSelector(".panel[data-target]"))) {
                panel.findElements(By.cssSelector(".item")).stream().findFirst().ifPresent(item ->
                        top.put(panel.getAttribute("data-target"), item.getAttribute("data-value")));
            }
            browser.find(By.cssSelector("[data-action=apply-all]")).click();
            browser.waitUntil(() -> browser.driver().findElements(By.cssSelector(".item--applied")).size()
                    == top.size());
            // one value per target: the second-ranked ones stay offered, not applied
            top.forEach((target, value) -> assertThat(browser.find(By.cssSelector("[data-target=" + target
                    + "] .item--applied")).getAttribute("data-value")).isEqualTo(value));
            return top;
        });

        assertThat(offered).containsEntry("labels", "paste").containsKey("assignee");
        await().atMost(Duration.ofSeconds(10)).until(() -> {
            EmulatedIssue now = site.issue(issue.key()).orElseThrow();
            return offered.get("assignee").equals(now.assignee()) && now.labels().contains("paste")
                    && !now.labels().contains("tables");
        });
        // (the labels acceptance may be refused: the assignee edit's webhook can replace the stored labels row first)
        await().atMost(Duration.ofSeconds(10)).until(() -> feedback(issue).stream().anyMatch(f ->
                f.action() == FeedbackStore.Action.ACCEPTED && f.suggested().equals(offered.get("assignee"))));
    }

    @Test
    @Order(5)
    void everyStateWithoutSuggestionsSaysWhy() {
        EmulatedIssue tiny = site.createIssue(SMALL, "Bug", "Crash on start", null, List.of("api"), List.of(),
                "High", null, max.accountId());
        await().atMost(Duration.ofSeconds(30)).until(() -> app.bean(IssueStore.class)
                .find(site.clientKey(), tiny.id()).isPresent());
        assertThat(notice(tiny)).startsWith("not-enough-data:").contains("Needs at least");

        app.bean(TrainingJobs.class).request(site.clientKey(), SMALL, "assignee", "test",
                Instant.now().plus(Duration.ofHours(1)));
        settle(SMALL, "assignee");
        assertThat(notice(tiny)).startsWith("training:");

        TargetSettingsStore settings = app.bean(TargetSettingsStore.class);
        settings.forProject(site.clientKey(), SMALL).values().forEach(target -> settings.save(site.clientKey(), SMALL,
                new TargetSettings(target.target(), false, target.threshold(), target.autoApply(), target.excluded())));
        assertThat(notice(tiny)).startsWith("disabled:").contains("off for this project");
    }

    @Test
    @Order(6)
    void aNonAdminSeesTheSettingsReadOnlyAndCannotChangeThem() throws Exception {
        // Jira opens project settings to project admins only, so the app's page is fetched as Jira would frame it
        HttpResponse<String> page = site.callApp("GET", "/admin/project?projectId=1&projectKey=" + PROJECT,
                max.accountId(), null);
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.body()).contains("class=\"read-only\"").contains("data-can-edit=\"false\"")
                .containsPattern("id=\"threshold-assignee\"[^>]*disabled=\"disabled\"");

        HttpResponse<String> refused = callWithContextToken("PUT", "/api/projects/" + PROJECT + "/settings/assignee",
                max, "{\"enabled\":false,\"threshold\":0.5,\"autoApply\":\"ON\",\"excluded\":[]}");
        assertThat(refused.statusCode()).isEqualTo(403);
        assertThat(callWithContextToken("POST", "/api/projects/" + PROJECT + "/train", max, null).statusCode())
                .isEqualTo(403);
        assertThat(app.bean(TargetSettingsStore.class).get(site.clientKey(), PROJECT, "assignee").enabled()).isTrue();
    }

    @Test
    @Order(7)
    void anAdminsRetrainStartsAJobWhoseResultAppearsOnThePage() {
        int before = app.bean(ModelRegistry.class).versions(site.clientKey(), PROJECT, "priority").size();
        inSettings(ada, () -> {
            browser.waitFor(By.cssSelector("[data-action=retrain]")).click();
            browser.waitFor(By.cssSelector("#admin[data-busy=true]"));
            new WebDriverWait(browser.driver(), Duration.ofMinutes(2)).until(ignored -> browser.driver()
                    .findElements(By.cssSelector("[data-target=priority] table.versions tbody tr")).size() > before
                    && !browser.driver().findElements(By.cssSelector("#admin[data-busy=false]")).isEmpty());
            browser.screenshot("admin");
            return null;
        });
    }

    @Test
    @Order(8)
    void autoApplyGivesANewIssueItsAssigneeOnceAndShadowModeOnlyReports() {
        saveSettingsAsAdmin("assignee", 0.01, "ON");
        EmulatedIssue applied = newIssueWithoutWaiting("Pasting a table crashes the editor");
        await().atMost(Duration.ofSeconds(30)).until(() -> site.issue(applied.key()).orElseThrow().assignee() != null);
        String byApp = site.issue(applied.key()).orElseThrow().assignee();
        assertThat(site.appRequests()).anyMatch(r -> r.method().equals("PUT")
                && r.path().equals("/rest/api/3/issue/" + applied.id()));

        // a person gives it to someone else, then edits it again: the app never puts its value back
        String chosen = byApp.equals(ada.accountId()) ? max.accountId() : ada.accountId();
        personSets(applied, max, IssueEdit.create().assignee(chosen));
        await().atMost(Duration.ofSeconds(30)).until(() -> app.bean(AutoApplyStore.class)
                .find(site.clientKey(), applied.id(), "assignee").orElseThrow().state()
                == AutoApplyStore.State.OVERRIDDEN);
        personSets(applied, max, IssueEdit.create().summary("Pasting a table crashes the editor (again)"));
        personSets(applied, max, IssueEdit.create().assignee(null));
        await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(10)).until(() ->
                site.issue(applied.key()).orElseThrow().assignee() == null);

        saveSettingsAsAdmin("assignee", 0.01, "SHADOW");
        EmulatedIssue shadowed = newIssueWithoutWaiting("Editor crashes on paste from a spreadsheet");
        await().atMost(Duration.ofSeconds(30)).until(() -> app.bean(AutoApplyStore.class)
                .find(site.clientKey(), shadowed.id(), "assignee").isPresent());
        AutoApplyStore.Decision wouldHave = app.bean(AutoApplyStore.class)
                .find(site.clientKey(), shadowed.id(), "assignee").orElseThrow();
        assertThat(wouldHave.state()).isEqualTo(AutoApplyStore.State.WOULD_APPLY);
        assertThat(site.issue(shadowed.key()).orElseThrow().assignee()).isNull();

        personSets(shadowed, max, IssueEdit.create().assignee(wouldHave.value()));
        await().atMost(Duration.ofSeconds(30)).until(() -> wouldHave.value().equals(app.bean(IssueStore.class)
                .find(site.clientKey(), shadowed.id()).orElseThrow().assignee()));
        inSettings(ada, () -> {
            assertThat(browser.waitFor(By.cssSelector("[data-target=assignee] .shadow-report")).getText())
                    .contains("right 1").contains("100% right");
            return null;
        });
    }

    @Test
    @Order(9)
    void settingsSavedOnThePageSurviveAReloadAndARestart() {
        inSettings(ada, () -> {
            WebElement threshold = browser.waitFor(By.id("threshold-labels"));
            threshold.clear();
            threshold.sendKeys("65");
            new Select(browser.find(By.id("auto-labels"))).selectByValue("SHADOW");
            browser.find(By.id("excluded-labels")).sendKeys("wontfix\nduplicate");
            browser.find(By.cssSelector("form[data-target=labels] button[type=submit]")).click();
            browser.waitUntil(() -> browser.find(By.cssSelector("form[data-target=labels] .save-status")).getText()
                    .equals("Saved."));
            return null;
        });
        assertLabelsSettingsShown();

        app.restart();
        assertLabelsSettingsShown();
    }

    @Test
    @Order(10)
    void whileTheSidecarIsDownTheGlanceSaysSoAndSuggestsOnceItIsBack() throws Exception {
        SidecarClient sidecar = app.bean(SidecarClient.class);
        // the sidecar of the app restarted by the step before may still be starting
        long pid = await().atMost(Duration.ofMinutes(1)).until(sidecar::status, s -> s.isUp() && s.pid() > 0).pid();
        SidecarProcesses.freeze(pid);
        await().atMost(Duration.ofSeconds(20)).until(() -> !sidecar.status().isUp());

        EmulatedIssue issue = newIssueWithoutWaiting("Editor freezes while typing");
        await().atMost(Duration.ofSeconds(30)).until(() -> app.bean(IssueStore.class)
                .find(site.clientKey(), issue.id()).isPresent());

        inGlance(issue, max, () -> {
            WebElement notice = browser.waitFor(By.cssSelector("[data-kind=sidecar]"));
            assertThat(notice.getText()).contains("restarting");
            browser.screenshot("glance-sidecar-down");
            // the page polls; once the replacement sidecar is up the issue is suggested and shown
            new WebDriverWait(browser.driver(), Duration.ofSeconds(60)).until(ignored -> !browser.driver()
                    .findElements(By.cssSelector("[data-target=assignee] .item")).isEmpty());
            return null;
        });
    }

    // ---- helpers ----

    static EmulatedIssue newIssue(String summary) {
        EmulatedIssue issue = newIssueWithoutWaiting(summary);
        awaitSuggestions(issue);
        return issue;
    }

    static EmulatedIssue newIssueWithoutWaiting(String summary) {
        return site.createIssue(PROJECT, template.issueType(), summary + " " + template.summary(), null,
                template.components(), List.of(), "Medium", null, template.reporter());
    }

    static void awaitSuggestions(EmulatedIssue issue) {
        await().atMost(Duration.ofSeconds(30)).until(() -> app.bean(SuggestionStore.class)
                .find(site.clientKey(), issue.id()).size() >= 2);
    }

    /** Waits until no job of the target is running (a training started by an earlier step has ended). */
    static void settle(String project, String target) {
        await().atMost(Duration.ofMinutes(1)).until(() -> app.bean(TrainingJobs.class)
                .find(site.clientKey(), project, target).map(job -> !job.state().equals(TrainingJobs.RUNNING))
                .orElse(true));
    }

    static List<FeedbackStore.Feedback> feedback(EmulatedIssue issue) {
        return app.bean(FeedbackStore.class).forIssue(site.clientKey(), issue.id());
    }

    /** "kind: text" of the notice for the assignee: its own, or the one that stands for the whole glance. */
    static String notice(EmulatedIssue issue) {
        return inGlance(issue, max, () -> {
            WebElement notice = browser.waitFor(By.cssSelector(".glance > .notice, [data-target=assignee] .notice"));
            return notice.getAttribute("data-kind") + ": " + notice.getText();
        });
    }

    static void assertLabelsSettingsShown() {
        inSettings(ada, () -> {
            assertThat(browser.waitFor(By.id("threshold-labels")).getAttribute("value")).isEqualTo("65");
            assertThat(browser.find(By.id("auto-labels")).getAttribute("value")).isEqualTo("SHADOW");
            assertThat(browser.find(By.id("excluded-labels")).getAttribute("value")).isEqualTo("wontfix\nduplicate");
            return null;
        });
    }

    /** Saves a target's settings through the page's own API, as an admin. */
    static void saveSettingsAsAdmin(String target, double threshold, String autoApply) {
        try {
            HttpResponse<String> saved = callWithContextToken("PUT", "/api/projects/" + PROJECT + "/settings/"
                    + target, ada, "{\"enabled\":true,\"threshold\":" + threshold + ",\"autoApply\":\""
                    + autoApply + "\",\"excluded\":[]}");
            assertThat(saved.statusCode()).as(saved.body()).isEqualTo(200);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    static <T> T inSettings(EmulatedUser user, Supplier<T> work) {
        signIn(user, "/plugins/servlet/project-config/" + PROJECT + "/apps/triage-admin");
        WebElement frame = browser.waitFor(By.cssSelector("iframe.ap-admin-page"));
        return browser.inFrame(frame, () -> {
            browser.waitFor(By.id("admin"));
            return work.get();
        });
    }

    static <T> T inGlance(EmulatedIssue issue, EmulatedUser user, Supplier<T> work) {
        signIn(user, "/browse/" + issue.key());
        WebElement frame = browser.waitFor(By.cssSelector("iframe.ap-glance"));
        return browser.inFrame(frame, () -> {
            browser.waitFor(By.id("glance"));
            return work.get();
        });
    }

    static void signIn(EmulatedUser user, String returnPath) {
        browser.open(site.baseUrl() + "/sandbox/login?accountId=" + user.accountId() + "&return=" + returnPath);
    }

    static boolean noAlert() {
        try {
            browser.driver().switchTo().alert();
            return false;
        } catch (NoAlertPresentException expected) {
            return true;
        }
    }

    static HttpResponse<String> callWithContextToken(String method, String path, EmulatedUser user, String body)
            throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(app.url() + path))
                .header("Authorization", "JWT " + site.contextToken(user.accountId()))
                .header("Content-Type", "application/json")
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    static void personSets(EmulatedIssue issue, EmulatedUser user, IssueEdit edit) {
        site.editIssue(issue.key(), user.accountId(), edit);
    }
}
