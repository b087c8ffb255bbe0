package com.triageassistant.privacy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.triageassistant.ingest.IssueStore;
import com.triageassistant.jira.emulator.AppRequest;
import com.triageassistant.jira.emulator.EmulatedSite;
import com.triageassistant.jira.emulator.EmulatedUser;
import com.triageassistant.jira.emulator.JiraEmulator;
import com.triageassistant.jira.emulator.PersonalDataReporting;
import com.triageassistant.store.IgniteSql;
import com.triageassistant.support.AppInstance;
import com.triageassistant.support.NodeSpec;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The app reports the accountIds it stores to Jira's Personal Data Reporting API (the emulator's), erases closed
 * accounts from every table, notes updated ones, keeps Jira's cycle and survives failed calls.
 */
class PersonalDataReportingTest {

    private static final String PROJECT = "PRV";
    private static final String REPORT_PATH = "/app/report-accounts/";

    @TempDir
    static Path dataDir;

    static JiraEmulator jira;
    static AppInstance app;

    @BeforeAll
    static void start() {
        jira = new JiraEmulator();
        app = AppInstance.start(NodeSpec.single(dataDir), Map.of(
                "atlassian.connect.public-key-base-url", jira.keyServerUrl(),
                "triage.ml.enabled", "false",
                "triage.ingest.poll-interval", "200ms",
                "triage.privacy.poll-interval", "200ms",
                // Reports run when a test makes them due (reportNow), never while it is still loading data.
                "triage.privacy.first-report-delay", "1h",
                "triage.privacy.default-cycle-period", "1h",
                "triage.privacy.retry-delay", "1s"));
    }

    @AfterAll
    static void stop() {
        app.close();
        jira.close();
    }

    @Test
    void reportsExactlyTheStoredAccountIdsInBatchesOfAtMost90() {
        EmulatedSite site = installedSite("batches");
        List<EmulatedUser> people = users(site, 180);
        for (int i = 0; i < 120; i++) {
            site.createIssue(PROJECT, "Bug", "Issue " + i, adf("text"), List.of(), List.of(), "Medium",
                    people.get(i).accountId(), people.get(120 + i % 60).accountId());
        }
        awaitStored(site, 120);
        Set<String> expected = new HashSet<>(people.stream().map(EmulatedUser::accountId).toList());
        expected.addAll(storeOtherMentions(site, "only-" + UUID.randomUUID()));

        reportNow(site, 3);

        List<PersonalDataReporting.Report> reports = site.personalData().reports();
        assertThat(reports).hasSize(3);
        assertThat(reports).allSatisfy(report -> assertThat(report.accounts()).hasSizeLessThanOrEqualTo(90));
        List<String> reported = reports.stream().flatMap(report -> report.accounts().stream())
                .map(PersonalDataReporting.ReportedAccount::accountId).toList();
        assertThat(reported).doesNotHaveDuplicates().containsExactlyInAnyOrderElementsOf(expected);
        assertThat(reports).flatExtracting(PersonalDataReporting.Report::accounts)
                .allSatisfy(account -> assertThat(account.updatedAt()).isBefore(Instant.now()));
        assertThat(signedReportCalls(site)).hasSize(3).allMatch(call -> call.status() == 204);
    }

    @Test
    void aClosedAccountIsGoneFromEveryTableAndAnUpdatedOneIsNoted() {
        EmulatedSite site = installedSite("closed");
        List<EmulatedUser> people = users(site, 3);
        String closed = people.get(0).accountId();
        String updated = people.get(1).accountId();
        String kept = people.get(2).accountId();
        site.createIssue(PROJECT, "Bug", "Closed person's issue", adf("text"), List.of(), List.of(), "High", closed,
                closed);
        site.createIssue(PROJECT, "Bug", "Shared issue", adf("text"), List.of(), List.of(), "Low", kept, closed);
        site.createIssue(PROJECT, "Task", "Updated person's issue", adf("text"), List.of(), List.of(), "Low",
                updated, kept);
        awaitStored(site, 3);
        storeOtherMentions(site, closed);
        assertThat(tablesNaming(closed)).contains("ISSUE", "FEEDBACK", "AUTO_APPLY", "SUGGESTION", "TARGET_SETTINGS");
        Instant profileChanged = Instant.now();
        site.personalData().close(closed).markUpdated(updated, profileChanged);

        reportNow(site, 1);

        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(tablesNaming(closed)).isEmpty());
        assertThat(tablesNaming(kept)).contains("ISSUE");
        assertThat(app.bean(IssueStore.class).projectIssues(site.clientKey(), PROJECT)).hasSize(3);
        ReportSchedule.Status status = app.bean(ReportSchedule.class).find(site.clientKey()).orElseThrow();
        assertThat(status.accountsClosed()).isEqualTo(1);
        assertThat(status.accountsUpdated()).isEqualTo(1);

        reportNow(site, 1);

        PersonalDataReporting.Report second = site.personalData().reports().get(1);
        assertThat(second.accounts()).extracting(PersonalDataReporting.ReportedAccount::accountId)
                .containsExactlyInAnyOrder(updated, kept);
        assertThat(second.accounts()).filteredOn(account -> account.accountId().equals(updated))
                .singleElement().satisfies(account -> assertThat(account.updatedAt()).isAfter(profileChanged));
        assertThat(second.status()).isEqualTo(204); // the update was taken note of, the closed account is gone
    }

    @Test
    void theNextReportWaitsForJirasCyclePeriodAlsoAcrossARestart() {
        EmulatedSite site = installedSite("cycle");
        List<EmulatedUser> people = users(site, 2);
        site.createIssue(PROJECT, "Bug", "One", adf("text"), List.of(), List.of(), "Low", people.get(0).accountId(),
                people.get(1).accountId());
        awaitStored(site, 1);
        site.personalData().cyclePeriod(Duration.ofSeconds(4));

        reportNow(site, 1);
        await().atMost(Duration.ofSeconds(20)).until(() -> site.personalData().reports().size() >= 2);
        site.personalData().cyclePeriod(Duration.ofHours(1));
        await().atMost(Duration.ofSeconds(20)).until(() -> site.personalData().reports().size() >= 3);

        List<PersonalDataReporting.Report> reports = site.personalData().reports();
        assertThat(Duration.between(reports.get(0).at(), reports.get(1).at())).isGreaterThanOrEqualTo(Duration.ofSeconds(4));
        assertThat(Duration.between(reports.get(1).at(), reports.get(2).at())).isGreaterThanOrEqualTo(Duration.ofSeconds(4));
        ReportSchedule.Status status = app.bean(ReportSchedule.class).find(site.clientKey()).orElseThrow();
        assertThat(status.cycleSeconds()).isEqualTo(3600);
        assertThat(status.nextReportAt()).isAfter(Instant.now().plus(Duration.ofMinutes(59)));

        app.restart();
        sleep(Duration.ofSeconds(3)); // fifteen polls of the restarted node

        assertThat(site.personalData().reports()).hasSize(3);
        assertThat(app.bean(ReportSchedule.class).find(site.clientKey()).orElseThrow().nextReportAt())
                .isEqualTo(status.nextReportAt());
    }

    @Test
    void failedAndTimedOutCallsAreRetriedWithoutLosingAnything() {
        EmulatedSite site = installedSite("failing");
        List<EmulatedUser> people = users(site, 100);
        for (int i = 0; i < 100; i++) {
            site.createIssue(PROJECT, "Bug", "Issue " + i, adf("text"), List.of(), List.of(), "Medium",
                    people.get(i).accountId(), people.get(99 - i).accountId());
        }
        awaitStored(site, 100);
        String closed = people.get(97).accountId();
        site.personalData().close(closed);
        // First try: 500 at once. Second: no answer within the app's 5 s read time-out. Third: both batches pass.
        site.faults().serverError(REPORT_PATH, 1, 500).slow(REPORT_PATH, 1, Duration.ofSeconds(7));

        reportNow(site, 2);

        List<AppRequest> calls = signedReportCalls(site);
        assertThat(calls).extracting(AppRequest::status).startsWith(500);
        Set<String> reported = new HashSet<>();
        site.personalData().reports().forEach(report -> report.accounts().forEach(a -> reported.add(a.accountId())));
        assertThat(reported).containsExactlyInAnyOrderElementsOf(people.stream().map(EmulatedUser::accountId).toList());
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(tablesNaming(closed)).isEmpty());
        ReportSchedule.Status status = app.bean(ReportSchedule.class).find(site.clientKey()).orElseThrow();
        assertThat(status.failures()).isZero();
        assertThat(status.accountsReported()).isEqualTo(100);
        assertThat(status.nextReportAt()).isAfter(Instant.now().plus(Duration.ofMinutes(59)));
    }

    // ---- helpers ----

    private static EmulatedSite installedSite(String name) {
        EmulatedSite site = jira.createSite(name);
        site.createProject(PROJECT, "Privacy", List.of("Bug", "Task"), List.of("api"));
        assertThat(site.install(app.url())).isEqualTo(204);
        return site;
    }

    private static List<EmulatedUser> users(EmulatedSite site, int count) {
        List<EmulatedUser> users = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            users.add(site.createUser("Person " + i));
        }
        site.makeAssignable(PROJECT, users.stream().map(EmulatedUser::accountId).toArray(String[]::new));
        return users;
    }

    private static void awaitStored(EmulatedSite site, int issues) {
        assertThat(site.awaitWebhooks(Duration.ofSeconds(60))).isTrue();
        await().atMost(Duration.ofSeconds(60)).until(() ->
                app.bean(IssueStore.class).countLive(site.clientKey(), PROJECT) == issues);
    }

    /**
     * Rows naming accounts outside the issues, as the suggestion and feedback features write them.
     *
     * @return the account ids they name ({@code prefix} alone when it is already an account)
     */
    private static Set<String> storeOtherMentions(EmulatedSite site, String prefix) {
        boolean oneAccount = !prefix.startsWith("only-");
        String suggested = oneAccount ? prefix : prefix + "-suggested";
        String reason = oneAccount ? prefix : prefix + "-reporter-reason";
        String feedback = oneAccount ? prefix : prefix + "-feedback";
        String applied = oneAccount ? prefix : prefix + "-applied";
        String excluded = oneAccount ? prefix : prefix + "-excluded";
        IgniteSql sql = app.bean(IgniteSql.class);
        String key = site.clientKey();
        Timestamp now = Timestamp.from(Instant.now());
        sql.update("INSERT INTO suggestion (client_key, issue_id, target, project_key, model_version, ranked, "
                + "issue_updated, created_at) VALUES (?, 1, 'assignee', ?, 1, ?, ?, ?)", key, PROJECT,
                "[{\"value\":\"" + suggested + "\",\"p\":0.9,\"because\":[{\"kind\":\"reporter\",\"feature\":\"reporter:"
                        + reason + "\",\"weight\":0.4}]}]", now, now);
        sql.update("INSERT INTO feedback (client_key, feedback_id, project_key, issue_id, target, action, suggested, "
                + "chosen, probability, model_version, at) VALUES (?, ?, ?, 1, 'assignee', 'OVERRIDDEN', ?, ?, 0.8, 1, ?)",
                key, UUID.randomUUID().toString(), PROJECT, feedback, feedback, now);
        sql.update("INSERT INTO auto_apply (client_key, issue_id, target, project_key, mode, applied_value, "
                + "probability, model_version, state, detail, decided_at) VALUES (?, 1, 'assignee', ?, 'SHADOW', ?, 0.9, "
                + "1, 'WOULD_APPLY', NULL, ?)", key, PROJECT, applied, now);
        sql.update("MERGE INTO target_settings (client_key, project_key, target, enabled, threshold, auto_apply, "
                + "excluded, updated_at) VALUES (?, ?, 'assignee', TRUE, 0.5, 'OFF', ?, ?)", key, PROJECT,
                "[\"" + excluded + "\"]", now);
        return new HashSet<>(List.of(suggested, reason, feedback, applied, excluded));
    }

    /** Makes the site's report due now and waits until it is done and Jira accepted {@code calls} more calls. */
    private static void reportNow(EmulatedSite site, int calls) {
        IgniteSql sql = app.bean(IgniteSql.class);
        await().atMost(Duration.ofSeconds(10)).until(() -> sql.query(
                "SELECT COUNT(*) FROM personal_data_report WHERE client_key = ?", row -> row.longValue(0),
                site.clientKey()).get(0) == 1);
        int before = site.personalData().reports().size();
        sql.update("UPDATE personal_data_report SET next_report_at = ? WHERE client_key = ?",
                Timestamp.from(Instant.now()), site.clientKey());
        await().atMost(Duration.ofSeconds(40)).until(() -> site.personalData().reports().size() >= before + calls
                && app.bean(ReportSchedule.class).find(site.clientKey()).orElseThrow().nextReportAt()
                .isAfter(Instant.now()));
    }

    private static List<AppRequest> signedReportCalls(EmulatedSite site) {
        return site.appRequests().stream().filter(call -> call.path().equals(REPORT_PATH)).toList();
    }

    /** Every table of the store whose rows contain the string, in any column (binary ones as UTF-8). */
    private static Set<String> tablesNaming(String text) {
        IgniteSql sql = app.bean(IgniteSql.class);
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        Set<String> tables = new java.util.TreeSet<>();
        for (String table : sql.query("SELECT table_name FROM SYS.TABLES WHERE schema_name = 'PUBLIC'",
                row -> row.string(0))) {
            for (List<?> row : sql.query("SELECT * FROM \"" + table + "\"", IgniteSql.Row::values)) {
                for (Object value : row) {
                    if (value instanceof byte[] binary ? contains(binary, bytes)
                            : value != null && value.toString().contains(text)) {
                        tables.add(table);
                    }
                }
            }
        }
        return tables;
    }

    private static boolean contains(byte[] haystack, byte[] needle) {
        return new String(haystack, StandardCharsets.ISO_8859_1).contains(new String(needle, StandardCharsets.ISO_8859_1));
    }

    private static ObjectNode adf(String text) {
        ObjectNode doc = com.fasterxml.jackson.databind.json.JsonMapper.builder().build().createObjectNode()
                .put("type", "doc").put("version", 1);
        doc.putArray("content").addObject().put("type", "paragraph").putArray("content").addObject()
                .put("type", "text").put("text", text);
        return doc;
    }

    private static void sleep(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }
}
