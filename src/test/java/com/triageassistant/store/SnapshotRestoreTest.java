package com.triageassistant.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;

import com.atlassian.connect.spring.AtlassianHost;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.triageassistant.connect.IgniteAtlassianHostRepository;
import com.triageassistant.ingest.IssueRecord;
import com.triageassistant.ingest.IssueStore;
import com.triageassistant.jira.emulator.EmulatedIssue;
import com.triageassistant.jira.emulator.EmulatedSite;
import com.triageassistant.jira.emulator.EmulatedUser;
import com.triageassistant.jira.emulator.Http;
import com.triageassistant.jira.emulator.JiraEmulator;
import com.triageassistant.ml.ModelRegistry;
import com.triageassistant.suggest.AutoApplyMode;
import com.triageassistant.suggest.TargetSettings;
import com.triageassistant.suggest.TargetSettingsStore;
import com.triageassistant.support.AppInstance;
import com.triageassistant.support.EmulatorTrust;
import com.triageassistant.support.NodeSpec;
import org.apache.ignite.Ignite;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The procedure of docs/backups.md, end to end: a snapshot taken on demand, the node's data lost, the node started on
 * an empty work directory with {@code triage.backup.restore-from}, and every tenant, issue, model and setting back as
 * it was when the snapshot was taken; with Transparent Data Encryption on, too, given the same master key.
 */
class SnapshotRestoreTest {

    private static final String PROJECT = "BAK";
    private static final String OPERATOR_TOKEN = "operator-" + UUID.randomUUID();
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path dir;

    static JiraEmulator jira;

    @BeforeAll
    static void start() {
        jira = new JiraEmulator();
    }

    @AfterAll
    static void stop() {
        jira.close();
    }

    @Test
    void aSnapshotBringsBackTenantsIssuesModelsAndSettingsAfterTheDataIsLost() throws Exception {
        Path base = dir.resolve("clear");
        Map<String, String> props = properties(base, Map.of());

        Restored restored = snapshotWipeAndRestore(base, props);

        // The property left set is harmless: the cluster holds data now, so a restart restores nothing over it.
        TenantData data = restored.data();
        try (AppInstance app = restored.app()) {
            TargetSettings afterRestore = new TargetSettings("labels", true, 0.3, AutoApplyMode.OFF, 0, List.of());
            app.bean(TargetSettingsStore.class).save(data.clientKey(), PROJECT, afterRestore);
            app.restart();
            assertThat(app.bean(TargetSettingsStore.class).get(data.clientKey(), PROJECT, "labels"))
                    .isEqualTo(afterRestore);
            assertIntact(app, data);

            tenantsCannotReachTheEndpoint(app, data.site());
            keepsOnlyTheNewestOfItsOwnSnapshots(app, base.resolve("snapshots"), restored.snapshot());
            aSnapshotThatCannotBeWrittenIsAnErrorTheAppSurvives(app, base.resolve("snapshots"), data);
        }
    }

    /** The endpoint is for operators: neither anonymous callers nor a tenant's Connect JWT list or take snapshots. */
    private static void tenantsCannotReachTheEndpoint(AppInstance app, EmulatedSite site) throws IOException {
        String path = "/actuator/snapshots";
        assertThat(app.get(path, null).statusCode()).isIn(401, 403);
        assertThat(app.get(path, site.requestToken("GET", path, "alice")).statusCode()).isIn(401, 403);
        assertThat(app.post(path, null, "{}").statusCode()).isIn(401, 403);
        assertThat(app.post(path, site.requestToken("POST", path, "alice"), "{}").statusCode()).isIn(401, 403);
        assertThat(listedNames(app)).hasSize(1);
    }

    /** triage.backup.keep=2: the oldest of the app's three goes, an operator's own snapshot stays. */
    private static void keepsOnlyTheNewestOfItsOwnSnapshots(AppInstance app, Path snapshots, String restored)
            throws IOException {
        Path older = Files.createDirectories(snapshots.resolve("triage_20200101_030000"));
        Files.writeString(older.resolve("node.smf"), "a snapshot the app took long ago");
        app.bean(Ignite.class).snapshot().createSnapshot("before_upgrade").get();

        HttpResponse<String> response = asOperator(app, "POST");

        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        String newest = JSON.readTree(response.body()).get("name").asText();
        assertThat(listedNames(app)).containsExactlyInAnyOrder(newest, restored, "before_upgrade");
    }

    /** A snapshot directory Ignite cannot write to (standing in for a full disk): a clear error, nothing stops. */
    private static void aSnapshotThatCannotBeWrittenIsAnErrorTheAppSurvives(AppInstance app, Path snapshots,
                                                                            TenantData data) throws IOException {
        deleteRecursively(snapshots);
        Files.writeString(snapshots, "not a directory");

        HttpResponse<String> response = asOperator(app, "POST");

        assertThat(response.statusCode()).isEqualTo(500);
        assertThat(JSON.readTree(response.body()).get("error").asText()).contains("failed");
        assertThat(app.bean(Ignite.class).cluster().state().active()).isTrue();
        assertIntact(app, data);
    }

    @Test
    void withEncryptionTheSameMasterKeyRestoresTheEncryptedTables() throws Exception {
        Path base = dir.resolve("encrypted");
        Files.createDirectories(base);
        char[] password = ("pw-" + UUID.randomUUID()).toCharArray();
        Path keystore = base.resolve("master-key.p12");
        MasterKeystore.create(keystore, password);
        Path passwordFile = base.resolve("keystore-password");
        Files.writeString(passwordFile, new String(password));

        snapshotWipeAndRestore(base, properties(base, Map.of(
                "triage.ignite.encryption.enabled", "true",
                "triage.ignite.encryption.keystore-path", keystore.toString(),
                "triage.ignite.encryption.keystore-password-file", passwordFile.toString()))).app().close();
    }

    /** What a tenant has stored: everything a restore must bring back. */
    private record TenantData(EmulatedSite site, String clientKey, List<IssueRecord> issues,
                              ModelRegistry.ModelVersion model, byte[] artifact, TargetSettings settings) {
    }

    /** The node started with {@code restore-from}, still running. */
    private record Restored(AppInstance app, String snapshot, TenantData data) {
    }

    /**
     * Stores a tenant's data, snapshots it, deletes the node's data, restores and checks all of it is back.
     *
     * @return the restored node, running
     */
    private static Restored snapshotWipeAndRestore(Path base, Map<String, String> props) throws IOException {
        NodeSpec node = NodeSpec.single(base.resolve("work"));
        TenantData data;
        String snapshot;
        try (AppInstance app = AppInstance.start(node, props)) {
            data = storeTenantData(app);
            long start = System.nanoTime();
            HttpResponse<String> response = asOperator(app, "POST");
            long millis = Duration.ofNanos(System.nanoTime() - start).toMillis();
            assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
            JsonNode taken = JSON.readTree(response.body());
            snapshot = taken.get("name").asText();
            System.out.printf("Snapshot %s: %d ms, %d bytes%n", snapshot, millis, taken.get("sizeBytes").asLong());
            assertThat(listedNames(app)).containsExactly(snapshot);

            // Written after the snapshot: a restore goes back to the snapshot's moment and loses it.
            app.bean(TargetSettingsStore.class).save(data.clientKey(), PROJECT,
                    new TargetSettings("assignee", false, 0.9, AutoApplyMode.ON, 0.95, List.of()));
        }

        deleteRecursively(node.workDir().resolve("db"));

        long start = System.nanoTime();
        AppInstance app = AppInstance.start(node, withRestore(props, snapshot));
        System.out.printf("Start with restore of %s: %d ms%n", snapshot,
                Duration.ofNanos(System.nanoTime() - start).toMillis());
        try {
            assertIntact(app, data);
            assertThat(app.bean(TargetSettingsStore.class).get(data.clientKey(), PROJECT, "assignee"))
                    .isEqualTo(TargetSettings.defaults("assignee"));
        } catch (AssertionError e) {
            app.close();
            throw e;
        }
        return new Restored(app, snapshot, data);
    }

    private static void assertIntact(AppInstance app, TenantData stored) {
        AtlassianHost host = app.bean(IgniteAtlassianHostRepository.class).findCurrent(stored.clientKey())
                .orElseThrow(() -> new AssertionError("tenant " + stored.clientKey() + " is gone"));
        assertThat(host.isAddonInstalled()).isTrue();
        assertThat(app.bean(IssueStore.class).projectIssues(stored.clientKey(), PROJECT))
                .containsExactlyInAnyOrderElementsOf(stored.issues());
        ModelRegistry models = app.bean(ModelRegistry.class);
        assertThat(models.active(stored.clientKey(), PROJECT, "priority")).contains(stored.model());
        assertThat(models.artifact(stored.clientKey(), PROJECT, "priority", stored.model().version()))
                .hasValueSatisfying(bytes -> assertThat(bytes).isEqualTo(stored.artifact()));
        assertThat(app.bean(TargetSettingsStore.class).get(stored.clientKey(), PROJECT, "priority"))
                .isEqualTo(stored.settings());
    }

    /** A tenant installed from the Jira emulator with three ingested issues, a model and a project setting. */
    private static TenantData storeTenantData(AppInstance app) {
        EmulatedSite site = jira.createSite("backup-" + UUID.randomUUID().toString().substring(0, 8));
        site.createProject(PROJECT, "Backups", List.of("Bug"), List.of("api"));
        EmulatedUser person = site.createUser("Pat");
        site.makeAssignable(PROJECT, person.accountId());
        assertThat(site.install(app.url())).isEqualTo(204);
        List<EmulatedIssue> created = Stream.of("Checkout fails", "Login loops", "Export is empty")
                .map(summary -> site.createIssue(PROJECT, "Bug", summary, null, List.of("api"), List.of("web"),
                        "High", person.accountId(), person.accountId()))
                .toList();
        assertThat(site.awaitWebhooks(Duration.ofSeconds(30))).isTrue();
        IssueStore issues = app.bean(IssueStore.class);
        await().atMost(Duration.ofSeconds(30)).until(() ->
                created.stream().allMatch(issue -> issues.find(site.clientKey(), issue.id()).isPresent()));

        byte[] artifact = ("model-" + UUID.randomUUID()).getBytes();
        ModelRegistry.ModelVersion model = app.bean(ModelRegistry.class).record(site.clientKey(), PROJECT, "priority",
                new ModelRegistry.NewVersion("ACTIVE", artifact, "1.9.1", "2.1.0", "macro_f1", 0.81, null, 120, "{}"));
        TargetSettings settings = new TargetSettings("priority", true, 0.55, AutoApplyMode.SHADOW, 0.9,
                List.of("Lowest"));
        app.bean(TargetSettingsStore.class).save(site.clientKey(), PROJECT, settings);
        return new TenantData(site, site.clientKey(), issues.projectIssues(site.clientKey(), PROJECT), model, artifact,
                settings);
    }

    private static Map<String, String> properties(Path base, Map<String, String> extra) {
        Map<String, String> props = new HashMap<>(extra);
        props.put("triage.ml.enabled", "false");
        props.put("triage.ingest.poll-interval", "200ms");
        // Outside the work directory, as docs/backups.md asks: deleting the node's data leaves the snapshots.
        props.put("triage.backup.snapshot-dir", base.resolve("snapshots").toString());
        props.put("triage.backup.keep", "2");
        props.put("triage.operations.token-file", writeOperatorToken(base).toString());
        return EmulatorTrust.properties(jira, props);
    }

    /** {@code /actuator/snapshots} with the operator token: GET lists, POST takes one. */
    private static HttpResponse<String> asOperator(AppInstance app, String method) {
        HttpRequest request = HttpRequest.newBuilder(URI.create(app.url() + "/actuator/snapshots"))
                .header("Authorization", "Bearer " + OPERATOR_TOKEN)
                .method(method, HttpRequest.BodyPublishers.noBody())
                .timeout(Duration.ofMinutes(2)).build();
        return Http.send(HTTP, request);
    }

    private static List<String> listedNames(AppInstance app) throws IOException {
        HttpResponse<String> response = asOperator(app, "GET");
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        List<String> names = new ArrayList<>();
        JSON.readTree(response.body()).forEach(snapshot -> names.add(snapshot.get("name").asText()));
        return names;
    }

    private static Map<String, String> withRestore(Map<String, String> props, String snapshot) {
        Map<String, String> restoring = new HashMap<>(props);
        restoring.put("triage.backup.restore-from", snapshot);
        return restoring;
    }

    private static Path writeOperatorToken(Path base) {
        try {
            Files.createDirectories(base);
            return Files.writeString(base.resolve("operator-token"), OPERATOR_TOKEN + "\n");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void deleteRecursively(Path root) throws IOException {
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(path);
            }
        }
    }
}
