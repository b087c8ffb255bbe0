package com.triageassistant.jira.generator;

/** Plain text of a generated issue (summary and description), for assertions about wording. */
final class AdfText {

    private AdfText() {
    }

    static String of(GeneratedIssue issue) {
        return issue.summary() + "\n" + com.triageassistant.ingest.AdfText.of(issue.description());
    }
}
