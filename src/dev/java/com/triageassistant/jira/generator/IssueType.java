package com.triageassistant.jira.generator;

/** The issue types a generated project uses, with the names Jira shows. */
enum IssueType {
    BUG("Bug"), TASK("Task"), STORY("Story"), IMPROVEMENT("Improvement"), EPIC("Epic");

    final String jiraName;

    IssueType(String jiraName) {
        this.jiraName = jiraName;
    }
}
