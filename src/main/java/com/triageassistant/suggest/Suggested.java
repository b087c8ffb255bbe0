package com.triageassistant.suggest;

import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/** One ranked value of a stored suggestion, with the features that pushed it. */
public record Suggested(String value, double probability, List<Reason> because) {

    /** A feature as the model names it ({@code word:timeout}, {@code component:Backend}, ...). */
    public record Reason(String kind, String feature, double weight) {

        /** The feature without its kind prefix: the word, component, type or account id. */
        public String subject() {
            int colon = feature.indexOf(':');
            return colon < 0 ? feature : feature.substring(colon + 1);
        }
    }

    private static final ObjectMapper JSON = new ObjectMapper();

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
            values.add(new Suggested(item.path("value").asText(), item.path("p").asDouble(), reasons));
        }
        return values;
    }
}
