package com.triageassistant.ml;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Turns a training's outcome into the version the registry records: ACTIVE or REJECTED by the promotion guard for
 * a trained model, INSUFFICIENT for too little data, BELOW_BASELINE for a model a simple prior beat.
 *
 * <p>BELOW_BASELINE leaves the model in service, if any, where it is. That model passed its own training's checks;
 * the sidecar scores the prior only against the new model, so nothing here says the old one is now worse than the
 * prior, and retiring it on one hold-out of recent issues would leave people without suggestions until the next
 * training, which checks again. Without a model in service the target shows why it has none.
 */
final class NewVersions {

    private final PromotionGuard guard;

    NewVersions(PromotionGuard guard) {
        this.guard = guard;
    }

    /**
     * Promotion compares like with like: both models on the hold-out issues the active one never saw when there
     * are enough of them, else the new hold-out score with the active model's own recorded one.
     *
     * @param active the model in service, or null
     * @throws SidecarException for a status this app does not know: recording it as anything would be a guess
     */
    ModelRegistry.NewVersion of(TrainingOutcome outcome, ModelRegistry.ModelVersion active) {
        JsonNode result = outcome.result();
        String status = result.path("status").asText();
        return switch (status) {
            case "trained" -> trained(outcome, active);
            case "insufficient_data" -> withoutArtifact(ModelRegistry.INSUFFICIENT, result, null);
            case "below_baseline" -> withoutArtifact(ModelRegistry.BELOW_BASELINE, result,
                    result.path("main_value").isNumber() ? result.path("main_value").asDouble() : null);
            default -> throw new SidecarException("train answered an unknown status '" + status + "'");
        };
    }

    private ModelRegistry.NewVersion trained(TrainingOutcome outcome, ModelRegistry.ModelVersion active) {
        JsonNode result = outcome.result();
        JsonNode versions = result.path("versions");
        double mainValue = result.path("main_value").asDouble();
        JsonNode comparison = result.path("comparison");
        double candidate = comparison.isObject() ? comparison.path("candidate").asDouble() : mainValue;
        Double activeScore = comparison.isObject() ? Double.valueOf(comparison.path("active").asDouble())
                : active == null ? null : active.mainValue();
        String status = guard.promote(candidate, activeScore) ? ModelRegistry.ACTIVE : ModelRegistry.REJECTED;
        return new ModelRegistry.NewVersion(status, outcome.artifact(), versions.path("sklearn").asText(null),
                versions.path("numpy").asText(null), result.path("main_metric").asText(null), mainValue,
                activeScore, result.path("n_samples").asInt(), result.toString());
    }

    /** No artifact, whatever bytes came: such a version must never be loaded or put back in service. */
    private static ModelRegistry.NewVersion withoutArtifact(String status, JsonNode result, Double mainValue) {
        JsonNode versions = result.path("versions");
        return new ModelRegistry.NewVersion(status, null, versions.path("sklearn").asText(null),
                versions.path("numpy").asText(null), result.path("main_metric").asText(null), mainValue, null,
                result.path("n_samples").asInt(), result.toString());
    }
}
