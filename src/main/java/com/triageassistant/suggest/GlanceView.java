package com.triageassistant.suggest;

import java.util.List;

/**
 * What the issue glance shows: either one notice for the whole glance (suggestions off, history still loading,
 * the issue not known yet) or a panel per enabled target.
 */
public record GlanceView(long issueId, String issueKey, String projectKey, Notice notice, List<TargetPanel> panels) {

    /**
     * A state in words. {@code kind} is one of {@code disabled}, {@code loading}, {@code pending},
     * {@code training}, {@code not-enough-data}, {@code sidecar}, {@code nothing}; {@code progress} is a
     * percentage when the state has one.
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
     * @param items    suggestions above the threshold, best first
     * @param notice   why there are none (null when there are, or when the issue's value is set)
     */
    public record TargetPanel(String target, String title, List<String> current, boolean accounts, List<Item> items,
                              Notice notice) {
    }

    /**
     * @param edit the Jira edit that applies the value (JSON for {@code PUT /rest/api/3/issue/{id}})
     */
    public record Item(String value, int percent, double probability, List<Suggested.Reason> because, String edit,
                       int modelVersion) {
    }

    public int suggestionCount() {
        return panels.stream().mapToInt(panel -> panel.items().size()).sum();
    }

    /** Whether the page should ask again shortly. */
    public boolean waiting() {
        return (notice != null && notice.settlesSoon())
                || panels.stream().anyMatch(panel -> panel.notice() != null && panel.notice().settlesSoon());
    }
}
