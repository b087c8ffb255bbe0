package com.triageassistant.ml;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.triageassistant.jira.emulator.EmulatedSite;
import com.triageassistant.jira.emulator.EmulatedUser;
import com.triageassistant.jira.emulator.JiraEmulator;
import com.triageassistant.support.AppInstance;
import com.triageassistant.support.NodeSpec;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.web.util.HtmlUtils;

/**
 * "Never worse than the prior, visibly": a training whose model lost to a simple prior is recorded as
 * BELOW_BASELINE without an artifact, never served (a model in service stays so), and the settings page says why
 * with both scores. On the real store, the page as Jira frames it for a project admin.
 */
class BelowBaselineTest {

    static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path dataDir;

    static JiraEmulator jira;
    static AppInstance app;
    static EmulatedSite site;
    static EmulatedUser admin;
    static ModelRegistry registry;
    static final NewVersions NEW_VERSIONS = new NewVersions(new PromotionGuard(0.02));

    @BeforeAll
    static void start() {
        jira = new JiraEmulator();
        app = AppInstance.start(NodeSpec.single(dataDir), Map.of(
                "atlassian.connect.public-key-base-url", jira.keyServerUrl(),
                "triage.ml.enabled", "false"));
        site = jira.createSite("baseline");
        site.createProject("BB", "Baseline", List.of("Bug"), List.of("api"));
        admin = site.createUser("Ada Admin");
        site.makeProjectAdmin("BB", admin.accountId());
        assertThat(site.install(app.url())).isEqualTo(204);
        registry = app.bean(ModelRegistry.class);
    }

    @AfterAll
    static void stop() {
        app.close();
        jira.close();
    }

    @Test
    void aModelBelowThePriorIsRecordedWithoutArtifactAndTheModelInServiceStays() throws Exception {
        ModelRegistry.ModelVersion active = registry.record(site.clientKey(), "REG", "labels", trained(0.4));

        ModelRegistry.NewVersion below = NEW_VERSIONS.of(new TrainingOutcome(JSON.readTree(
                belowBaseline("micro_f1", 0.05, "majority", 0.1)), new byte[]{9, 9}), active);
        ModelRegistry.ModelVersion recorded = registry.record(site.clientKey(), "REG", "labels", below);

        assertThat(recorded.status()).isEqualTo(ModelRegistry.BELOW_BASELINE);
        assertThat(recorded.hasArtifact()).as("never loadable, whatever bytes came").isFalse();
        assertThat(recorded.mainValue()).isEqualTo(0.05);
        assertThat(registry.active(site.clientKey(), "REG", "labels")).get()
                .extracting(ModelRegistry.ModelVersion::version).isEqualTo(active.version());
        assertThat(registry.activeModels(site.clientKey(), "REG")).extracting(ModelRegistry.ModelVersion::version)
                .containsExactly(active.version());
        assertThat(registry.activate(site.clientKey(), "REG", "labels", recorded.version())).isFalse();
        assertThat(BaselineVerdict.of(recorded)).get().extracting(BaselineVerdict::sentence).isEqualTo(
                "the model's micro-F1 on recent issues was 5% against 10% for always suggesting the most frequent "
                        + "value");
    }

    @Test
    void withoutAModelInServiceNothingIsServed() throws Exception {
        registry.record(site.clientKey(), "SOLO", "priority", NEW_VERSIONS.of(new TrainingOutcome(JSON.readTree(
                belowBaseline("macro_f1", 0.2, "recency", 0.25)), new byte[0]), null));

        assertThat(registry.activeModels(site.clientKey(), "SOLO")).isEmpty();
        assertThat(registry.active(site.clientKey(), "SOLO", "priority")).isEmpty();
    }

    @Test
    void tooLittleDataIsRecordedAsBeforeAndAnUnknownStatusIsNotGuessed() throws Exception {
        ModelRegistry.NewVersion insufficient = NEW_VERSIONS.of(new TrainingOutcome(JSON.readTree(
                "{\"status\":\"insufficient_data\",\"main_metric\":\"top3\",\"n_samples\":12,"
                        + "\"needed\":{\"samples\":50},\"have\":{\"samples\":12}}"), new byte[0]), null);
        assertThat(insufficient.status()).isEqualTo(ModelRegistry.INSUFFICIENT);
        assertThat(insufficient.samples()).isEqualTo(12);

        assertThatThrownBy(() -> NEW_VERSIONS.of(new TrainingOutcome(JSON.readTree("{\"status\":\"mystery\"}"),
                new byte[0]), null)).isInstanceOf(SidecarException.class).hasMessageContaining("mystery");
    }

    @Test
    void theSettingsPageSaysForEachTargetWhyItsModelIsNotInServiceWithBothNumbers() throws Exception {
        ModelRegistry.ModelVersion active = registry.record(site.clientKey(), "BB", "components", trained(0.5));
        ModelRegistry.ModelVersion kept = registry.record(site.clientKey(), "BB", "components", NEW_VERSIONS.of(
                new TrainingOutcome(JSON.readTree(belowBaseline("micro_f1", 0.05, "majority", 0.1)), new byte[0]),
                active));
        registry.record(site.clientKey(), "BB", "assignee", NEW_VERSIONS.of(new TrainingOutcome(JSON.readTree(
                belowBaseline("top3", 0.31, "recency", 0.4)), new byte[0]), null));

        HttpResponse<String> page = site.callApp("GET", "/admin/project?projectId=1&projectKey=BB",
                admin.accountId(), null);

        assertThat(page.statusCode()).isEqualTo(200);
        String text = HtmlUtils.htmlUnescape(page.body());
        assertThat(text).contains("Not in service: the model's top-3 accuracy on recent issues was 31% against 40% "
                + "for suggesting what the most recent issues got most often.");
        assertThat(text).contains("Version " + kept.version() + " not in service: the model's micro-F1 on recent "
                + "issues was 5% against 10% for always suggesting the most frequent value. Version "
                + active.version() + " stays in service.");
        assertThat(text).contains("below the prior");
        // a target whose newest model is fine says nothing of the kind
        assertThat(page.body().split("class=\"not-in-service\"", -1)).as("components and assignee only").hasSize(3);
    }

    static String belowBaseline(String metric, double value, String baseline, double baselineValue) {
        return "{\"status\":\"below_baseline\",\"main_metric\":\"" + metric + "\",\"main_value\":" + value
                + ",\"baseline\":{\"name\":\"" + baseline + "\",\"value\":" + baselineValue + "},\"n_samples\":300,"
                + "\"n_train\":240,\"n_test\":60,\"versions\":{\"sklearn\":\"1.9.1\",\"numpy\":\"2.3.5\"}}";
    }

    static ModelRegistry.NewVersion trained(double value) {
        return new ModelRegistry.NewVersion(ModelRegistry.ACTIVE, new byte[]{1, 2, 3}, "1.9.1", "2.3.5", "micro_f1",
                value, null, 300, "{\"status\":\"trained\"}");
    }
}
