package com.triageassistant.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.triageassistant.forge.ForgeInstallations;
import com.triageassistant.ingest.IssueStore;
import com.triageassistant.jira.emulator.EmulatedIssue;
import com.triageassistant.jira.emulator.EmulatedSite;
import com.triageassistant.jira.emulator.EmulatedUser;
import com.triageassistant.jira.emulator.JiraEmulator;
import com.triageassistant.support.AppInstance;
import com.triageassistant.support.EmulatorTrust;
import com.triageassistant.support.NodeSpec;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * With Ignite's Transparent Data Encryption on, no file under the node's work directory (partitions, indexes, WAL,
 * its archive, metadata) holds an issue's text or a Forge installation's app token in the clear, and the encrypted
 * data is read back after a restart. The same scan on a node without encryption finds both, so the scan itself is
 * shown to work.
 */
class TransparentDataEncryptionTest {

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
    void withEncryptionTheIssueTextIsInNoFileAndSurvivesARestart() throws Exception {
        char[] password = ("pw-" + UUID.randomUUID()).toCharArray();
        Path keystore = dir.resolve("master-key.p12");
        MasterKeystore.create(keystore, password);
        Path passwordFile = dir.resolve("keystore-password");
        Files.writeString(passwordFile, new String(password) + "\n");
        NodeSpec node = NodeSpec.single(dir.resolve("encrypted"));
        String summary = "Quokka-" + UUID.randomUUID() + " checkout breaks";

        try (AppInstance app = AppInstance.start(node, properties(Map.of(
                "triage.ignite.encryption.enabled", "true",
                "triage.ignite.encryption.keystore-path", keystore.toString(),
                "triage.ignite.encryption.keystore-password-file", passwordFile.toString())))) {
            Stored stored = storeIssue(app, "tde-on", summary);
            String appToken = storeForgeToken(app, "tde-on-forge");
            app.close(); // stops the node: its last checkpoint writes every page

            assertThat(filesContaining(node.workDir(), summary)).isEmpty();
            assertThat(filesContaining(node.workDir(), appToken)).isEmpty();

            app.restart();
            assertThat(app.bean(IssueStore.class).find(stored.clientKey(), stored.issueId()))
                    .hasValueSatisfying(issue -> assertThat(issue.summary()).isEqualTo(summary));
        }
    }

    @Test
    void withoutEncryptionTheSameScanFindsTheIssueText() throws Exception {
        NodeSpec node = NodeSpec.single(dir.resolve("clear"));
        String summary = "Wombat-" + UUID.randomUUID() + " checkout breaks";

        try (AppInstance app = AppInstance.start(node, properties(Map.of()))) {
            storeIssue(app, "tde-off", summary);
            String appToken = storeForgeToken(app, "tde-off-forge");
            app.close();

            assertThat(filesContaining(node.workDir(), summary)).isNotEmpty();
            assertThat(filesContaining(node.workDir(), appToken)).isNotEmpty();
        }
    }

    private record Stored(String clientKey, long issueId) {
    }

    private static Map<String, String> properties(Map<String, String> extra) {
        Map<String, String> props = new java.util.HashMap<>(extra);
        props.put("triage.ml.enabled", "false");
        props.put("triage.ingest.poll-interval", "200ms");
        return EmulatorTrust.properties(jira, props);
    }

    /** A Forge installation's app token, as the app stores it once the site installed the Forge app. */
    private static String storeForgeToken(AppInstance app, String siteName) {
        EmulatedSite site = jira.createSite(siteName);
        String installation = site.installForge(EmulatorTrust.FORGE_MANIFEST, app.url()).installationId();
        ForgeInstallations installations = app.bean(ForgeInstallations.class);
        await().atMost(Duration.ofSeconds(30)).until(() -> installations.find(installation)
                .map(ForgeInstallations.Installation::appToken).isPresent());
        return installations.find(installation).orElseThrow().appToken();
    }

    private static Stored storeIssue(AppInstance app, String siteName, String summary) {
        EmulatedSite site = jira.createSite(siteName);
        site.createProject("SEC", "Secrets", List.of("Bug"), List.of("api"));
        EmulatedUser person = site.createUser("Pat");
        site.makeAssignable("SEC", person.accountId());
        assertThat(site.install(app.url())).isEqualTo(204);
        ObjectNode description = JsonMapper.builder().build().createObjectNode().put("type", "doc").put("version", 1);
        description.putArray("content").addObject().put("type", "paragraph").putArray("content").addObject()
                .put("type", "text").put("text", summary + " in the description too");
        EmulatedIssue issue = site.createIssue("SEC", "Bug", summary, description, List.of(), List.of(), "High",
                person.accountId(), person.accountId());
        assertThat(site.awaitWebhooks(Duration.ofSeconds(30))).isTrue();
        await().atMost(Duration.ofSeconds(30)).until(() ->
                app.bean(IssueStore.class).find(site.clientKey(), issue.id()).isPresent());
        return new Stored(site.clientKey(), issue.id());
    }

    /** Every file under the directory whose bytes contain the text as UTF-8 (Ignite's string encoding). */
    private static List<Path> filesContaining(Path root, String text) throws IOException {
        String needle = new String(text.getBytes(StandardCharsets.UTF_8), StandardCharsets.ISO_8859_1);
        try (Stream<Path> files = Files.walk(root)) {
            List<Path> all = files.filter(Files::isRegularFile).toList();
            assertThat(all).as("files under " + root).anyMatch(file -> file.toString().contains("wal"));
            return all.stream().filter(file -> {
                try {
                    return new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1).contains(needle);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }).toList();
        }
    }
}
