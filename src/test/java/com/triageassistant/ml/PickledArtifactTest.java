package com.triageassistant.ml;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.zip.CRC32;
import java.util.zip.DeflaterOutputStream;

import com.triageassistant.ingest.IssueRecord;
import com.triageassistant.ingest.IssueStore;
import com.triageassistant.jira.emulator.EmulatedSite;
import com.triageassistant.jira.emulator.JiraEmulator;
import com.triageassistant.jira.generator.GeneratorConfig;
import com.triageassistant.jira.generator.ProjectGenerator;
import com.triageassistant.store.IgniteSql;
import com.triageassistant.suggest.SuggestionStore;
import com.triageassistant.support.AppInstance;
import com.triageassistant.support.NodeSpec;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Artifacts are data, not code: whoever can write a row of the model table must not be able to run anything in
 * the sidecar. A pickle that would create a file when unpickled (the artifact format 2 was a pickle) is stored as
 * the active model's artifact; the real sidecar refuses it without unpickling it, and the app retires the model
 * and retrains it once, as for any artifact it cannot read.
 */
class PickledArtifactTest {

    static final String PROJECT = "PKL";
    static final String TARGET = "priority";

    @TempDir
    static Path dataDir;
    @TempDir
    static Path markers;

    static JiraEmulator jira;
    static AppInstance app;
    static EmulatedSite site;
    static ModelRegistry registry;

    @BeforeAll
    static void start() {
        jira = new JiraEmulator();
        app = AppInstance.start(NodeSpec.single(dataDir), Map.of(
                "atlassian.connect.public-key-base-url", jira.keyServerUrl()));
        registry = app.bean(ModelRegistry.class);
        site = jira.createSite("pickle");
        site.load(new ProjectGenerator(GeneratorConfig.defaults(11, PROJECT).withIssueCount(800)).generate());
        assertThat(site.install(app.url())).isEqualTo(204);
        await().atMost(Duration.ofMinutes(3)).until(() -> registry.active(site.clientKey(), PROJECT, TARGET)
                .isPresent());
    }

    @AfterAll
    static void stop() {
        app.close();
        jira.close();
    }

    @Test
    void aPickleInTheArtifactRowIsNeverUnpickledAndTheModelIsRetrained() throws Exception {
        long pid = app.bean(SidecarClient.class).status().pid();
        Path formerFormat = markers.resolve("format-2");
        Path currentHeader = markers.resolve("format-3-header");

        for (byte[] artifact : List.of(artifact(2, zlib(pickleRunning("touch " + formerFormat))),
                artifact(3, pickleRunning("touch " + currentHeader)))) {
            ModelRegistry.ModelVersion planted = registry.active(site.clientKey(), PROJECT, TARGET).orElseThrow();
            app.bean(IgniteSql.class).update("UPDATE model SET artifact = ? WHERE client_key = ? AND project_key = ? "
                    + "AND target = ? AND version = ?", artifact, site.clientKey(), PROJECT, TARGET, planted.version());

            newIssue(0);

            await().atMost(Duration.ofMinutes(1)).until(() -> registry.active(site.clientKey(), PROJECT, TARGET)
                    .map(model -> model.version() > planted.version()).orElse(false));
            assertThat(registry.versions(site.clientKey(), PROJECT, TARGET)).filteredOn(
                    model -> model.version() == planted.version()).extracting(ModelRegistry.ModelVersion::status)
                    .containsExactly(ModelRegistry.RETIRED);
        }

        assertThat(formerFormat).doesNotExist();
        assertThat(currentHeader).doesNotExist();
        assertThat(app.bean(SidecarClient.class).status().pid()).as("the sidecar never failed").isEqualTo(pid);
        // The retrained model serves: a new issue gets its suggestion, and no further retraining follows.
        ModelRegistry.ModelVersion retrained = registry.active(site.clientKey(), PROJECT, TARGET).orElseThrow();
        long issueId = newIssue(1);
        await().atMost(Duration.ofSeconds(30)).until(() -> app.bean(SuggestionStore.class)
                .find(site.clientKey(), issueId).stream().anyMatch(s -> s.target().equals(TARGET)
                        && s.modelVersion() == retrained.version()));
        assertThat(registry.versions(site.clientKey(), PROJECT, TARGET).get(0).version())
                .isEqualTo(retrained.version());
    }

    @Test
    void aRealArtifactNamesItsReportersWhereAnErasureLooksForThem() {
        int version = registry.active(site.clientKey(), PROJECT, TARGET).orElseThrow().version();
        byte[] artifact = registry.artifact(site.clientKey(), PROJECT, TARGET, version).orElseThrow();
        String reporter = app.bean(IssueStore.class).projectIssues(site.clientKey(), PROJECT).stream()
                .map(IssueRecord::reporter).filter(Objects::nonNull)
                .collect(Collectors.groupingBy(Function.identity(), Collectors.counting())).entrySet().stream()
                .max(Map.Entry.comparingByValue()).orElseThrow().getKey();

        assertThat(ErasedAccountModels.names(artifact, reporter)).isTrue();
        assertThat(ErasedAccountModels.names(artifact, reporter + "-someone-else")).isFalse();
    }

    private static long newIssue(int template) {
        IssueRecord like = app.bean(IssueStore.class).projectIssues(site.clientKey(), PROJECT).get(template);
        return site.createIssue(PROJECT, like.issueType(), like.summary(), null, like.components(), List.of(),
                "Medium", null, like.reporter()).id();
    }

    /**
     * Protocol 2 pickle of {@code os.system(command)}: {@code GLOBAL os.system, BINUNICODE command, TUPLE1, REDUCE,
     * STOP}. Unpickled by Python it runs the command (checked by test_artifact.py's exploit).
     */
    static byte[] pickleRunning(String command) {
        byte[] text = command.getBytes(StandardCharsets.UTF_8);
        ByteBuffer out = ByteBuffer.allocate(32 + text.length);
        out.put(new byte[]{(byte) 0x80, 2}).put("cos\nsystem\nX".getBytes(StandardCharsets.US_ASCII));
        out.put(ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(text.length).array());
        out.put(text).put(new byte[]{(byte) 0x85, 'R', '.'});
        byte[] pickle = new byte[out.position()];
        out.flip().get(pickle);
        return pickle;
    }

    /** {@code MAGIC | u16 format | u32 metadata length | metadata | u32 CRC32 | payload}, a valid checksum. */
    static byte[] artifact(int format, byte[] payload) {
        byte[] meta = ("{\"format\":" + format + ",\"target\":\"" + TARGET + "\"}").getBytes(StandardCharsets.UTF_8);
        CRC32 crc = new CRC32();
        crc.update(payload);
        return ByteBuffer.allocate(8 + 2 + 4 + meta.length + 4 + payload.length)
                .put("TRIAGEML".getBytes(StandardCharsets.US_ASCII)).putShort((short) format).putInt(meta.length)
                .put(meta).putInt((int) crc.getValue()).put(payload).array();
    }

    static byte[] zlib(byte[] data) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (DeflaterOutputStream deflate = new DeflaterOutputStream(out)) {
            deflate.write(data);
        }
        return out.toByteArray();
    }
}
