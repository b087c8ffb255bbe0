package com.triageassistant.suggest;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The values a target's rankings of one issue have offered, each with its latest probability and model version.
 * Apply is sent by the page after the person's edit reached Jira, so the edit's webhook may already have replaced
 * the ranking they applied from (an applied label is no longer ranked); their Apply still counts. Bounded: the
 * values offered longest ago go first.
 */
record EarlierOffers(Map<String, Offer> byValue) {

    static final EarlierOffers NONE = new EarlierOffers(Map.of());

    /** More than any glance shows over an issue's life; keeps a row small whatever the churn. */
    static final int LIMIT = 100;

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final TypeReference<LinkedHashMap<String, Offer>> SHAPE = new TypeReference<>() {
    };

    record Offer(double p, int version) {
    }

    static EarlierOffers parse(String json) {
        if (json == null) {
            return NONE;
        }
        try {
            return new EarlierOffers(JSON.readValue(json, SHAPE));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Unreadable stored offers", e);
        }
    }

    Optional<Offer> find(String value) {
        return Optional.ofNullable(byValue.get(value));
    }

    /** These plus a new ranking's values, whose probabilities replace earlier ones. */
    EarlierOffers with(List<Suggested> ranked, int modelVersion) {
        LinkedHashMap<String, Offer> merged = new LinkedHashMap<>(byValue);
        for (Suggested value : ranked) {
            merged.remove(value.value());
            merged.put(value.value(), new Offer(value.probability(), modelVersion));
        }
        while (merged.size() > LIMIT) {
            merged.remove(merged.keySet().iterator().next());
        }
        return new EarlierOffers(merged);
    }

    String json() {
        try {
            return JSON.writeValueAsString(byValue);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
