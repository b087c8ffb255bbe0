package com.triageassistant.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.triageassistant.jira.emulator.EmulatedSite;
import com.triageassistant.jira.emulator.EmulatedUser;
import com.triageassistant.jira.emulator.Http;
import com.triageassistant.jira.emulator.JiraEmulator;
import com.triageassistant.support.AdversarialText;
import com.triageassistant.support.AppInstance;
import com.triageassistant.support.NodeSpec;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Webhooks whose issues carry adversarial text (see {@link AdversarialText}) are accepted, and the issues stored
 * and read back (by key and by SQL) exactly as sent, an unpaired surrogate as U+FFFD; none is lost or parked.
 */
class AdversarialTextIngestTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @TempDir
    static Path dataDir;

    /** Jira refuses labels with spaces in them. */
    private static final List<String> NO_SPACE_ATOMS = List.of("\u0000", "\uD83D\uDCA5", "\uD83D\uDC69\u200D\uD83D\uDCBB",
            "\u0130", "\u00DF", "\u03A3", "\u200D", "\uFFFF", "\u202E", "\u767B\u5F55", "e\u0301", "\"", "\\");

    static JiraEmulator jira;
    static AppInstance app;
    static EmulatedSite site;
    static EmulatedUser alice;

    @BeforeAll
    static void start() {
        jira = new JiraEmulator();
        app = AppInstance.start(NodeSpec.single(dataDir), Map.of(
                "atlassian.connect.public-key-base-url", jira.keyServerUrl(),
                "triage.ingest.poll-interval", "200ms",
                "triage.ingest.retry-initial-delay", "50ms",
                "triage.ingest.max-attempts", "3"));
        site = jira.createSite("adversarial");
        site.createProject("EMU", "Emulated", List.of("Bug", "Task"), List.of("api", "ui"));
        alice = site.createUser("Alice");
        site.makeAssignable("EMU", alice.accountId());
        assertThat(site.install(app.url())).isEqualTo(204);
    }

    @AfterAll
    static void stop() {
        app.close();
        jira.close();
    }

    /** What was sent, and what the store must hold for it. */
    private record Sent(long id, String summary, String description, List<String> labels) {
    }

    @Test
    void webhooksCarryingAdversarialTextAreAcceptedAndTheirIssuesStoredAsSent() throws Exception {
        AdversarialText random = new AdversarialText(41);
        List<Sent> sent = new ArrayList<>();
        List<String> atoms = AdversarialText.ATOMS;
        for (int i = 0; i < atoms.size() + 80; i++) {
            boolean atom = i < atoms.size();
            String summary = atom ? atoms.get(i) : random.field();
            String description = "d" + (atom ? atoms.get(i) : random.text(12)) + "d";
            List<String> labels = atom ? List.of(atoms.get(i)) : List.of(random.text(2), "plain");
            sent.add(new Sent(880_000 + i, summary, description, labels));
        }
        // A description past the cut, an emoji across it.
        String emoji = "\uD83D\uDCA5";
        sent.add(new Sent(889_998, "long", "d" + "x".repeat(AdfText.MAX_CHARS - 2) + emoji + "tail", List.of()));

        for (Sent s : sent) {
            ObjectNode payload = payload(s);
            // Jackson writes NUL and every surrogate as \\u escapes: a lone one is a valid escape, not bad UTF-8.
            HttpResponse<String> response = post("/webhooks/issue-created", JSON.writeValueAsBytes(payload));
            assertThat(response.statusCode()).as("%d: %s", s.id(), response.body()).isEqualTo(204);
        }

        IssueStore store = app.bean(IssueStore.class);
        await().atMost(Duration.ofSeconds(60)).until(() ->
                sent.stream().allMatch(s -> store.find(site.clientKey(), s.id()).isPresent()));
        assertThat(app.bean(WebhookInbox.class).dead(site.clientKey())).isEmpty();
        Map<Long, IssueRecord> bySql = store.projectIssues(site.clientKey(), "ADV").stream()
                .collect(Collectors.toMap(IssueRecord::issueId, Function.identity()));
        for (Sent s : sent) {
            IssueRecord byKey = store.find(site.clientKey(), s.id()).orElseThrow();
            String expectedText = s.id() == 889_998 ? "d" + "x".repeat(AdfText.MAX_CHARS - 2)
                    : AdversarialText.wellFormed(s.description());
            assertThat(byKey.summary()).as("summary of %d", s.id()).isEqualTo(AdversarialText.wellFormed(s.summary()));
            assertThat(byKey.text()).as("text of %d", s.id()).isEqualTo(expectedText);
            assertThat(byKey.labels()).as("labels of %d", s.id())
                    .isEqualTo(s.labels().stream().map(AdversarialText::wellFormed).toList());
            assertThat(bySql.get(s.id())).as("%d by SQL", s.id()).isEqualTo(byKey);
        }
    }

    @Test
    void issuesFiledInJiraWithAdversarialTextAreStoredAsJiraHoldsThem() {
        AdversarialText random = new AdversarialText(42);
        for (int i = 0; i < 40; i++) {
            // The emulator sends its webhooks as Java text encoded to UTF-8, where an unpaired surrogate becomes
            // '?' before the app sees it: those are covered by the raw webhooks above.
            String summary = AdversarialText.wellFormed(random.field());
            String description = AdversarialText.wellFormed(random.text(12));
            site.createIssue("EMU", i % 2 == 0 ? "Bug" : "Task", summary,
                    AdversarialTextParsingTest.adf(description), List.of("api"),
                    List.of("l-" + i + random.pick(NO_SPACE_ATOMS)), "Medium", null,
                    alice.accountId());
        }
        assertThat(site.awaitWebhooks(Duration.ofSeconds(30))).isTrue();
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                EmulatorState.assertStoreMatches(app.bean(IssueStore.class), site.clientKey(), site, "EMU"));
    }

    @Test
    void issuesStoredDirectlyAreReadBackExactly() {
        AdversarialText random = new AdversarialText(43);
        List<IssueRecord> records = new ArrayList<>();
        Instant at = Instant.parse("2026-01-01T00:00:00Z");
        for (int i = 0; i < 300; i++) {
            records.add(new IssueRecord(870_000 + i, "DIR-" + i, "DIR", random.field(), random.text(12),
                    random.pick(AdversarialText.ATOMS), List.of(random.text(2)), List.of(random.text(2)),
                    random.pick(AdversarialText.ATOMS), null, null, at, at.plusSeconds(i)));
        }
        IssueStore store = app.bean(IssueStore.class);

        assertThat(store.upsert(site.clientKey(), records)).isEqualTo(records.size());

        for (IssueRecord record : records) {
            assertThat(store.find(site.clientKey(), record.issueId())).contains(record);
        }
        assertThat(store.projectIssues(site.clientKey(), "DIR")).containsExactlyElementsOf(records);
    }

    private static ObjectNode payload(Sent s) {
        ObjectNode payload = JSON.createObjectNode().put("timestamp", System.currentTimeMillis())
                .put("webhookEvent", "jira:issue_created");
        ObjectNode issue = payload.putObject("issue").put("id", String.valueOf(s.id())).put("key", "ADV-" + s.id());
        ObjectNode fields = issue.putObject("fields");
        fields.put("summary", s.summary());
        fields.set("description", AdversarialTextParsingTest.adf(s.description()));
        fields.putObject("issuetype").put("name", "Bug");
        fields.putObject("project").put("key", "ADV");
        fields.putArray("components").addObject().put("name", "api");
        s.labels().forEach(fields.putArray("labels")::add);
        fields.putObject("priority").put("name", "Medium");
        fields.putObject("reporter").put("accountId", alice.accountId());
        String now = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSZ").withZone(ZoneOffset.UTC)
                .format(Instant.now());
        fields.put("created", now).put("updated", now);
        return payload;
    }

    private static HttpResponse<String> post(String path, byte[] body) {
        return Http.send(HTTP, HttpRequest.newBuilder(URI.create(app.url() + path))
                .header("Content-Type", "application/json")
                .header("Authorization", "JWT " + site.requestToken("POST", path, null))
                .header("X-Atlassian-Webhook-Identifier", "adv-" + java.util.UUID.randomUUID())
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build());
    }
}
