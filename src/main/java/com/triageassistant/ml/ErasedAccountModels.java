package com.triageassistant.ml;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.List;

import com.triageassistant.ingest.AccountErased;
import com.triageassistant.store.IgniteSql;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/**
 * Jira erased a person: trained models name them too (an assignee model's classes, every model's reporter
 * features), inside artifacts the app cannot edit. So every version whose artifact holds the accountId loses
 * it; an ACTIVE one is retired and its target retrained from the issues, which no longer name the person. Until the
 * new version lands that target has no suggestions, which is the price of not serving an erased person.
 */
@Component
class ErasedAccountModels {

    private final IgniteSql sql;
    private final ModelRegistry registry;
    private final TrainingJobRunner training;
    private final Clock clock;

    ErasedAccountModels(IgniteSql sql, ModelRegistry registry, TrainingJobRunner training, Clock clock) {
        this.sql = sql;
        this.registry = registry;
        this.training = training;
        this.clock = clock;
    }

    private record Stored(String projectKey, String target, int version, String status) {
    }

    @EventListener
    void onAccountErased(AccountErased event) {
        String clientKey = event.clientKey();
        String accountId = event.accountId();
        // The evaluation JSON may name the person too (per-class figures): replaced in place.
        sql.update("UPDATE model SET result = REPLACE(result, ?, 'erased-account') WHERE client_key = ? "
                + "AND result LIKE ?", accountId, clientKey, "%" + likeEscaped(accountId) + "%");
        List<Stored> withArtifacts = sql.query("SELECT project_key, target, version, status FROM model "
                        + "WHERE client_key = ? AND artifact IS NOT NULL",
                row -> new Stored(row.string(0), row.string(1), row.intValue(2), row.string(3)), clientKey);
        for (Stored model : withArtifacts) {
            byte[] artifact = registry.artifact(clientKey, model.projectKey(), model.target(), model.version())
                    .orElse(null);
            if (artifact == null || !names(artifact, accountId)) {
                continue;
            }
            registry.dropArtifact(clientKey, model.projectKey(), model.target(), model.version());
            if (ModelRegistry.ACTIVE.equals(model.status())) {
                training.request(clientKey, model.projectKey(), model.target(), "account-erased", clock.instant());
            }
        }
    }

    /**
     * An artifact keeps the values that name people (classes, reporters) in an uncompressed UTF-8 JSON document
     * (python/triage_ml/artifact.py), so the id's bytes are there if the model names the person.
     */
    static boolean names(byte[] artifact, String accountId) {
        return contains(artifact, accountId.getBytes(StandardCharsets.UTF_8));
    }

    private static boolean contains(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i <= haystack.length - needle.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return true;
        }
        return false;
    }

    private static String likeEscaped(String value) {
        return value.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_");
    }
}
