package com.triageassistant.suggest;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * How one target is suggested in one project. The model decides per value what it suggests and what it would
 * apply on its own (thresholds it chose on validation); the admin's two thresholds are floors on top of those
 * decisions, 0 meaning "the model's choice".
 *
 * @param enabled       suggestions shown (and applied) at all
 * @param threshold     lowest probability a value the model suggests is marked as suggested with (0: the model's
 *                      choice alone)
 * @param autoApply     what happens to a new issue's value the model would apply on its own
 * @param autoThreshold lowest probability auto-apply acts on (0: the model's 0.8-precision choice alone)
 * @param excluded      values never suggested (a bot account, a retired label)
 */
public record TargetSettings(String target, boolean enabled, double threshold, AutoApplyMode autoApply,
                             double autoThreshold, List<String> excluded) {

    public static final int MAX_EXCLUDED = 200;
    public static final int MAX_VALUE_LENGTH = 255;
    /** Both floors default to the model's own choice. */
    public static final double MODEL_CHOICE = 0;

    /**
     * The thresholds every project had before models made their own decisions. Rows stored by such a sidecar carry
     * no decision, so for them "the model's choice" falls back to these (a multi-class target's probabilities share
     * 1 between all candidates, so its useful threshold is lower than a label's, whose probability is its own).
     */
    static final Map<String, Double> LEGACY_THRESHOLD = Map.of("assignee", 0.2, "priority", 0.4,
            "labels", 0.5, "components", 0.5);

    public TargetSettings {
        excluded = List.copyOf(excluded);
    }

    public static TargetSettings defaults(String target) {
        return new TargetSettings(target, true, MODEL_CHOICE, AutoApplyMode.OFF, MODEL_CHOICE, List.of());
    }

    /** Whether a ranked value is marked as suggested: the model chose it and it clears the admin's floor. */
    public boolean suggests(Suggested value) {
        if (value.suggest() == null) {
            return value.probability() >= legacyFloor(threshold);
        }
        return value.suggest() && value.probability() >= threshold;
    }

    /** Whether auto-apply may act on a ranked value: the model would apply it and it clears the auto floor. */
    public boolean autoApplies(Suggested value) {
        if (value.auto() == null) {
            return value.probability() >= legacyFloor(autoThreshold);
        }
        return value.auto() && value.probability() >= autoThreshold;
    }

    /** Without the model's decision, "the model's choice" (0) means the threshold such rows were made for. */
    private double legacyFloor(double floor) {
        return floor > MODEL_CHOICE ? floor : LEGACY_THRESHOLD.getOrDefault(target, 0.5);
    }

    /** The excluded values one per line, as the settings page edits them. */
    public String excludedText() {
        return String.join("\n", excluded);
    }

    /** Whether a value is excluded, compared without case (Jira's label and component names ignore it). */
    public boolean excludes(String value) {
        String lower = value.toLowerCase(Locale.ROOT);
        return excluded.stream().anyMatch(x -> x.toLowerCase(Locale.ROOT).equals(lower));
    }

    /** @throws IllegalArgumentException with a message fit for the person who sent these settings */
    public TargetSettings validated(Set<String> knownTargets) {
        if (!knownTargets.contains(target)) {
            throw new IllegalArgumentException("Unknown target " + target + "; expected one of " + knownTargets);
        }
        if (!(threshold >= 0 && threshold <= 1)) {
            throw new IllegalArgumentException("threshold must be between 0 and 1 (0 leaves it to the model)");
        }
        if (!(autoThreshold >= 0 && autoThreshold <= 1)) {
            throw new IllegalArgumentException("autoThreshold must be between 0 and 1 (0 leaves it to the model)");
        }
        if (autoApply == null) {
            throw new IllegalArgumentException("autoApply must be OFF, SHADOW or ON");
        }
        if (excluded.size() > MAX_EXCLUDED) {
            throw new IllegalArgumentException("At most " + MAX_EXCLUDED + " excluded values");
        }
        List<String> cleaned = excluded.stream().map(String::strip).filter(value -> !value.isEmpty()).distinct()
                .toList();
        if (cleaned.stream().anyMatch(value -> value.length() > MAX_VALUE_LENGTH)) {
            throw new IllegalArgumentException("Excluded values are at most " + MAX_VALUE_LENGTH + " characters");
        }
        return new TargetSettings(target, enabled, threshold, autoApply, autoThreshold, cleaned);
    }
}
