package com.triageassistant.suggest;

import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * One ranked value of a stored suggestion, with the features that pushed it and the model's own decisions.
 *
 * @param suggest the model's default decision (its per-value threshold chosen on validation for the best F1);
 *                null in rows stored before the sidecar sent it
 * @param auto    the model's stricter auto-apply decision (0.8 precision on validation); null in older rows
 */
public record Suggested(String value, double probability, List<Reason> because, Boolean suggest, Boolean auto) {

    /** A feature as the model names it ({@code word:timeout}, {@code component:Backend}, ...). */
    public record Reason(String kind, String feature, double weight) {

        /** The feature without its kind prefix: the word, component, type or account id. */
        public String subject() {
            int colon = feature.indexOf(':');
            return colon < 0 ? feature : feature.substring(colon + 1);
        }
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    public Suggested {
        because = List.copyOf(because);
    }

    /** Reads the {@code ranked} JSON of a suggestion row, best first. */
    static List<Suggested> parse(String rankedJson) {
        JsonNode ranked;
        try {
            ranked = JSON.readTree(rankedJson);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Unreadable stored suggestion", e);
        }
        List<Suggested> values = new ArrayList<>();
        for (JsonNode item : ranked) {
            List<Reason> reasons = new ArrayList<>();
            item.path("because").forEach(reason -> reasons.add(new Reason(reason.path("kind").asText(),
                    reason.path("feature").asText(), reason.path("weight").asDouble())));
            values.add(new Suggested(item.path("value").asText(), item.path("p").asDouble(), reasons,
                    flag(item, "suggest"), flag(item, "auto")));
        }
        return values;
    }

    /** A missing (or non-boolean) flag is null: the row predates it, and the caller falls back to thresholds. */
    private static Boolean flag(JsonNode item, String name) {
        JsonNode flag = item.path(name);
        return flag.isBoolean() ? flag.booleanValue() : null;
    }
}
