package com.triageassistant.suggest;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * Which of a target's ranked values are offered, and how: the values people can still use (not excluded, not the
 * issue's own, not decided on), each marked as suggested or as an alternative, and whether auto-apply may act on
 * it. The glance, auto-apply and override detection all read a ranking this way, so they agree on what was offered.
 */
final class Ranking {

    /** Values offered per target when the model suggests at most this many; it is never fewer than it suggests. */
    static final int SHOWN = 3;

    /**
     * @param suggested marked as suggested: the model chose it and it clears the project's floor (for targets with
     *                  one value, only the best such value)
     * @param auto      auto-apply may act on it
     */
    record Choice(Suggested value, boolean suggested, boolean auto) {
    }

    private Ranking() {
    }

    /**
     * @param ranked  the stored values, best first
     * @param skipped values not to offer again: set on the issue, or dismissed or applied from the glance
     * @return every suggested value that remains, and the best of the others up to {@value #SHOWN} in all, best
     *         first
     */
    static List<Choice> offered(TargetSettings settings, List<Suggested> ranked, Collection<String> skipped) {
        boolean single = !IssueEdits.multiValued(settings.target());
        List<Choice> remaining = new ArrayList<>();
        boolean suggestedOne = false;
        for (Suggested value : ranked) {
            if (settings.excludes(value.value())) {
                continue;
            }
            // The sidecar marks at most one value of a single-valued target; rows without marks can have several.
            // The best one counts even when it is set or was decided on: the next is then no suggestion of the model.
            boolean suggested = settings.suggests(value) && !(single && suggestedOne);
            suggestedOne |= suggested;
            if (!skipped.contains(value.value())) {
                remaining.add(new Choice(value, suggested, settings.autoApplies(value)));
            }
        }
        // A label the model suggests is never hidden behind the limit: it could not be seen before Apply all.
        long suggestedCount = remaining.stream().filter(Choice::suggested).count();
        long alternatives = Math.max(0, SHOWN - suggestedCount);
        List<Choice> offered = new ArrayList<>();
        for (Choice choice : remaining) {
            if (choice.suggested()) {
                offered.add(choice);
            } else if (alternatives > 0) {
                offered.add(choice);
                alternatives--;
            }
        }
        return offered;
    }
}
