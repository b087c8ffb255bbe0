package com.triageassistant.suggest;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * How one target is suggested in one project.
 *
 * @param enabled   suggestions shown (and applied) at all
 * @param threshold lowest probability a value is shown with, and the one auto-apply needs
 * @param autoApply what happens to a new issue's top value above the threshold
 * @param excluded  values never suggested (a bot account, a retired label)
 */
public record TargetSettings(String target, boolean enabled, double threshold, AutoApplyMode autoApply,
                             List<String> excluded) {

    public static final int MAX_EXCLUDED = 200;
    public static final int MAX_VALUE_LENGTH = 255;

    /**
     * A multi-class target's probabilities share 1 between all candidates, so its useful threshold is lower than
     * a label's, whose probability is its own.
     */
    private static final Map<String, Double> DEFAULT_THRESHOLD = Map.of("assignee", 0.2, "priority", 0.4,
            "labels", 0.5, "components", 0.5);

    public TargetSettings {
        excluded = List.copyOf(excluded);
    }

    public static TargetSettings defaults(String target) {
        return new TargetSettings(target, true, DEFAULT_THRESHOLD.getOrDefault(target, 0.5), AutoApplyMode.OFF,
                List.of());
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
            throw new IllegalArgumentException("threshold must be between 0 and 1");
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
        return new TargetSettings(target, enabled, threshold, autoApply, cleaned);
    }
}
