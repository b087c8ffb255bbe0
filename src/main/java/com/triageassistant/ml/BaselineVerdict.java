package com.triageassistant.ml;

import java.util.Optional;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Why a trained version was kept out of service as {@link ModelRegistry#BELOW_BASELINE}: its hold-out score next to
 * the better prior's (always the most frequent value, or the most frequent among recent issues) on the same
 * issues. Read from the training result, so the settings page and the glance say the same thing.
 *
 * @param metric        the training result's key of the main metric ({@code top3}, {@code micro_f1}, ...)
 * @param baseline      {@code majority} or {@code recency}
 */
public record BaselineVerdict(int version, String metric, double modelValue, String baseline, double baselineValue) {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** Empty unless the version is BELOW_BASELINE and its result names both scores. */
    public static Optional<BaselineVerdict> of(ModelRegistry.ModelVersion version) {
        if (!ModelRegistry.BELOW_BASELINE.equals(version.status()) || version.result() == null) {
            return Optional.empty();
        }
        JsonNode result;
        try {
            result = JSON.readTree(version.result());
        } catch (JsonProcessingException e) {
            return Optional.empty();
        }
        JsonNode model = result.path("main_value");
        JsonNode baseline = result.path("baseline");
        if (!model.isNumber() || !baseline.path("value").isNumber()) {
            return Optional.empty();
        }
        return Optional.of(new BaselineVerdict(version.version(), result.path("main_metric").asText(version.mainMetric()),
                model.asDouble(), baseline.path("name").asText("majority"), baseline.path("value").asDouble()));
    }

    /** The metric as people read it. */
    public String metricName() {
        return switch (String.valueOf(metric)) {
            case "top1" -> "top-1 accuracy";
            case "top3" -> "top-3 accuracy";
            case "macro_f1" -> "macro-F1";
            case "micro_f1" -> "micro-F1";
            default -> String.valueOf(metric).replace('_', ' ');
        };
    }

    /** What the prior does, in words. */
    public String baselineDescription() {
        return baseline.equals("recency") ? "suggesting what the most recent issues got most often"
                : "always suggesting the most frequent value";
    }

    /** "the model's micro-F1 on recent issues was 5% against 10% for always suggesting the most frequent value" */
    public String sentence() {
        return "the model's " + metricName() + " on recent issues was " + percent(modelValue) + " against "
                + percent(baselineValue) + " for " + baselineDescription();
    }

    private static String percent(double value) {
        return Math.round(value * 100) + "%";
    }
}
