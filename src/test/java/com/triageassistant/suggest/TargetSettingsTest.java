package com.triageassistant.suggest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.triageassistant.store.IgniteSql;
import com.triageassistant.support.AppInstance;
import com.triageassistant.support.NodeSpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Defaults (the model's choice), validation, and V8's migration of settings stored before it. */
class TargetSettingsTest {

    @TempDir
    Path dataDir;

    @Test
    void bothFloorsDefaultToTheModelsChoice() {
        for (String target : List.of("assignee", "labels", "components", "priority")) {
            TargetSettings defaults = TargetSettings.defaults(target);
            assertThat(defaults.threshold()).isZero();
            assertThat(defaults.autoThreshold()).isZero();
            assertThat(defaults.autoApply()).isEqualTo(AutoApplyMode.OFF);
        }
    }

    @Test
    void invalidFloorsAreRefusedInWords() {
        Set<String> targets = Set.of("assignee");
        assertThatThrownBy(() -> new TargetSettings("assignee", true, 1.5, AutoApplyMode.OFF, 0, List.of())
                .validated(targets)).hasMessage("threshold must be between 0 and 1 (0 leaves it to the model)");
        assertThatThrownBy(() -> new TargetSettings("assignee", true, 0, AutoApplyMode.ON, -0.1, List.of())
                .validated(targets)).hasMessage("autoThreshold must be between 0 and 1 (0 leaves it to the model)");
        assertThatThrownBy(() -> new TargetSettings("assignee", true, 0, AutoApplyMode.ON, Double.NaN, List.of())
                .validated(targets)).hasMessageStartingWith("autoThreshold must be between 0 and 1");
    }

    /**
     * Rows as the previous version stored them (no auto floor): those at the old defaults get the model's choice,
     * an admin's own threshold stays and becomes their auto-apply floor too.
     */
    @Test
    void settingsAtTheOldDefaultsMoveToTheModelsChoiceAndAnAdminsOwnThresholdStays() {
        NodeSpec node = NodeSpec.single(dataDir);
        try (AppInstance app = AppInstance.start(node, Map.of("triage.ml.enabled", "false"))) {
            IgniteSql sql = app.bean(IgniteSql.class);
            oldRow(sql, "assignee", 0.2, "ON");
            oldRow(sql, "priority", 0.4, "OFF");
            oldRow(sql, "labels", 0.65, "SHADOW");
            oldRow(sql, "components", 0.5, "OFF");
            // as if the app stopped before V8: it runs again on the next start (its statements are repeatable)
            sql.update("DELETE FROM schema_version WHERE version = 8");

            app.restart();

            Map<String, TargetSettings> settings = app.bean(TargetSettingsStore.class).forProject("t-old", "OLD");
            assertThat(settings.get("assignee")).extracting(TargetSettings::threshold, TargetSettings::autoThreshold,
                    TargetSettings::autoApply).containsExactly(0.0, 0.0, AutoApplyMode.ON);
            assertThat(settings.get("priority")).extracting(TargetSettings::threshold, TargetSettings::autoThreshold)
                    .containsExactly(0.0, 0.0);
            assertThat(settings.get("components")).extracting(TargetSettings::threshold,
                    TargetSettings::autoThreshold).containsExactly(0.0, 0.0);
            assertThat(settings.get("labels")).extracting(TargetSettings::threshold, TargetSettings::autoThreshold,
                    TargetSettings::autoApply).containsExactly(0.65, 0.65, AutoApplyMode.SHADOW);
            assertThat(app.bean(IgniteSql.class).query("SELECT COUNT(*) FROM target_settings "
                    + "WHERE auto_threshold IS NULL", row -> row.longValue(0))).containsExactly(0L);
        }
    }

    private static void oldRow(IgniteSql sql, String target, double threshold, String autoApply) {
        sql.update("MERGE INTO target_settings (client_key, project_key, target, enabled, threshold, auto_apply, "
                        + "excluded, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)", "t-old", "OLD", target, true,
                threshold, autoApply, "[]", Timestamp.from(Instant.now()));
    }
}
