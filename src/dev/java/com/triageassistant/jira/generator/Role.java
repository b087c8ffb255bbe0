package com.triageassistant.jira.generator;

/**
 * What a person does in the project. Only developers take issues; the others only report, and what they report
 * differs (support files customer bugs, product files stories and epics, QA files bugs found in testing).
 */
enum Role {
    DEVELOPER(0.33, 0.37, 0.10, 0.18, 0.02),
    SUPPORT(0.76, 0.05, 0.02, 0.17, 0.0),
    PRODUCT(0.12, 0.16, 0.50, 0.14, 0.08),
    QA(0.80, 0.10, 0.0, 0.10, 0.0);

    /** Probability of each {@link IssueType}, by ordinal, for issues this role reports. */
    private final double[] typeWeights;

    Role(double... typeWeights) {
        this.typeWeights = typeWeights;
    }

    double typeWeight(IssueType type) {
        return typeWeights[type.ordinal()];
    }

    boolean takesIssues() {
        return this == DEVELOPER;
    }
}
