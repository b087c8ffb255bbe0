package com.triageassistant.jira.generator;

/**
 * What kind of problem or work an issue is about, beyond its component. It picks the summary wording, the severity
 * cue and the cross-cutting labels ("performance", "security", ...).
 */
enum Aspect {
    FUNCTIONAL, CRASH, OUTAGE, DATA_LOSS, COSMETIC, PERFORMANCE, SECURITY, REGRESSION, BUILD, DOCS, REFACTOR;

    /** P(aspect | type), by aspect ordinal. */
    static double[] weightsFor(IssueType type) {
        return switch (type) {
            //                 FUNC   CRASH  OUTAGE DATA   COSM   PERF   SEC    REGR   BUILD  DOCS   REFAC
            case BUG -> new double[] {0.42, 0.12, 0.025, 0.045, 0.12, 0.08, 0.035, 0.09, 0.045, 0, 0};
            case TASK -> new double[] {0.45, 0, 0, 0, 0, 0.05, 0.05, 0, 0.15, 0.12, 0.18};
            case STORY -> new double[] {0.82, 0, 0, 0, 0.08, 0.05, 0.05, 0, 0, 0, 0};
            case IMPROVEMENT -> new double[] {0.45, 0, 0, 0, 0.20, 0.20, 0, 0, 0, 0.05, 0.10};
            case EPIC -> new double[] {0.90, 0, 0, 0, 0, 0.05, 0.05, 0, 0, 0, 0};
        };
    }

    /** P(cue | aspect), by {@link SeverityCue} ordinal (CRITICAL, HIGH, NONE, LOW). */
    double[] cueWeights() {
        return switch (this) {
            case OUTAGE -> new double[] {1, 0, 0, 0};
            case DATA_LOSS -> new double[] {0.7, 0.3, 0, 0};
            case CRASH -> new double[] {0.15, 0.85, 0, 0};
            case SECURITY -> new double[] {0.1, 0.7, 0.2, 0};
            case REGRESSION -> new double[] {0, 0.5, 0.5, 0};
            case PERFORMANCE -> new double[] {0, 0.25, 0.65, 0.10};
            case COSMETIC -> new double[] {0, 0, 0.15, 0.85};
            case DOCS -> new double[] {0, 0, 0.5, 0.5};
            case REFACTOR -> new double[] {0, 0, 0.8, 0.2};
            case BUILD -> new double[] {0, 0.25, 0.75, 0};
            case FUNCTIONAL -> new double[] {0, 0.06, 0.82, 0.12};
        };
    }
}
