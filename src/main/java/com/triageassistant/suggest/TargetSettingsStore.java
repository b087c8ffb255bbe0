package com.triageassistant.suggest;

import java.sql.Timestamp;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.triageassistant.ml.TrainingProperties;
import com.triageassistant.store.IgniteSql;
import org.springframework.stereotype.Repository;

/** Per project and target settings; a target without a row has its defaults. */
@Repository
public class TargetSettingsStore {

    private static final TypeReference<List<String>> STRINGS = new TypeReference<>() {
    };

    private final IgniteSql sql;
    private final ObjectMapper json;
    private final TrainingProperties training;
    private final Clock clock;

    TargetSettingsStore(IgniteSql sql, ObjectMapper json, TrainingProperties training, Clock clock) {
        this.sql = sql;
        this.json = json;
        this.training = training;
        this.clock = clock;
    }

    /** Every target the app learns, in the configured order. */
    public Map<String, TargetSettings> forProject(String clientKey, String projectKey) {
        Map<String, TargetSettings> settings = new LinkedHashMap<>();
        training.targets().forEach(target -> settings.put(target, TargetSettings.defaults(target)));
        // auto_threshold is null in rows an older version of the app wrote (a rolling upgrade): the model's choice
        sql.query("SELECT target, enabled, threshold, auto_apply, COALESCE(auto_threshold, 0), excluded "
                        + "FROM target_settings WHERE client_key = ? AND project_key = ?",
                row -> new TargetSettings(row.string(0), row.bool(1), row.doubleValue(2),
                        AutoApplyMode.valueOf(row.string(3)), row.doubleValue(4), parse(row.string(5))),
                clientKey, projectKey)
                .stream().filter(stored -> settings.containsKey(stored.target()))
                .forEach(stored -> settings.put(stored.target(), stored));
        return settings;
    }

    public TargetSettings get(String clientKey, String projectKey, String target) {
        return forProject(clientKey, projectKey).getOrDefault(target, TargetSettings.defaults(target));
    }

    /**
     * @return the settings as stored (validated and cleaned)
     * @throws IllegalArgumentException when they are invalid
     */
    public TargetSettings save(String clientKey, String projectKey, TargetSettings settings) {
        TargetSettings valid = settings.validated(Set.copyOf(training.targets()));
        sql.update("MERGE INTO target_settings (client_key, project_key, target, enabled, threshold, auto_apply, "
                        + "auto_threshold, excluded, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", clientKey,
                projectKey, valid.target(), valid.enabled(), valid.threshold(), valid.autoApply().name(),
                valid.autoThreshold(), write(valid.excluded()), Timestamp.from(clock.instant()));
        return valid;
    }

    /** An erased person stops being listed among a target's excluded values, in every project of the tenant. */
    void forgetExcluded(String clientKey, String target, String value) {
        sql.query("SELECT project_key, excluded FROM target_settings WHERE client_key = ? AND target = ?",
                row -> Map.entry(row.string(0), parse(row.string(1))), clientKey, target).stream()
                .filter(stored -> stored.getValue().contains(value))
                .forEach(stored -> {
                    List<String> kept = stored.getValue().stream().filter(v -> !v.equals(value)).toList();
                    sql.update("UPDATE target_settings SET excluded = ? WHERE client_key = ? AND project_key = ? "
                            + "AND target = ?", write(kept), clientKey, stored.getKey(), target);
                });
    }

    private List<String> parse(String excluded) {
        try {
            return json.readValue(excluded, STRINGS);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Unreadable excluded values in target_settings", e);
        }
    }

    private String write(List<String> excluded) {
        try {
            return json.writeValueAsString(excluded);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
