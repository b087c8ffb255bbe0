package com.triageassistant.suggest;

import java.util.List;

/**
 * What the issue glance shows: either one notice for the whole glance (suggestions off, history still loading,
 * the issue not known yet) or a panel per enabled target.
 *
 * @param applyAll the one Jira edit that applies every suggested value of every panel (JSON for
 *                 {@code PUT /rest/api/3/issue/{id}}); null when nothing is suggested. One edit, not one per value:
 *                 two component edits in a row would each set the list without the other's value.
 */
public record GlanceView(long issueId, String issueKey, String projectKey, Notice notice, List<TargetPanel> panels,
                         String applyAll) {

    /**
     * A state in words. {@code kind} is one of {@code disabled}, {@code loading}, {@code pending},
     * {@code training}, {@code not-enough-data}, {@code below-baseline}, {@code sidecar}, {@code nothing};
     * {@code progress} is a percentage when the state has one.
     */
    public record Notice(String kind, String title, String detail, Integer progress) {

        /** Pages poll while the state is one that ends by itself soon. */
        public boolean settlesSoon() {
            return kind.equals("loading") || kind.equals("pending") || kind.equals("training")
                    || kind.equals("sidecar");
        }
    }

    /**
     * @param current  the issue's values now, shown as set
     * @param accounts values are account ids (names and avatars are looked up in the browser, not stored)
     * @param items    the values offered, best first: the suggested ones and alternatives
     * @param notice   why there are none (null when there are, or when the issue's value is set)
     */
    public record TargetPanel(String target, String title, List<String> current, boolean accounts, List<Item> items,
                              Notice notice) {

        public List<Item> suggested() {
            return items.stream().filter(Item::suggested).toList();
        }
    }

    /**
     * @param edit      the Jira edit that applies the value (JSON for {@code PUT /rest/api/3/issue/{id}})
     * @param suggested the model suggests it (above the project's floor); otherwise it is an alternative
     * @param auto      auto-apply may act on it
     */
    public record Item(String value, int percent, double probability, List<Suggested.Reason> because, String edit,
                       int modelVersion, boolean suggested, boolean auto) {
    }

    /** The suggested values (not the alternatives): what the status lozenge counts and Apply all applies. */
    public int suggestionCount() {
        return panels.stream().mapToInt(panel -> panel.suggested().size()).sum();
    }

    /** Whether the page should ask again shortly. */
    public boolean waiting() {
        return (notice != null && notice.settlesSoon())
                || panels.stream().anyMatch(panel -> panel.notice() != null && panel.notice().settlesSoon());
    }
}
