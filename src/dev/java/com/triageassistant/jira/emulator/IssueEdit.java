package com.triageassistant.jira.emulator;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * A requested change to an issue, from {@code PUT /rest/api/3/issue/{key}} or the control API. Absent parts stay
 * unchanged; {@code assignee} present but empty means unassign.
 */
public final class IssueEdit {

    /** Marks a component given by id in a REST edit (names cannot contain it); resolved per project. */
    static final String COMPONENT_ID_PREFIX = "\0id:";

    Optional<String> assignee;
    String priority;
    List<String> labels;
    final Set<String> addLabels = new LinkedHashSet<>();
    final Set<String> removeLabels = new LinkedHashSet<>();
    List<String> components;
    String summary;
    JsonNode description;

    public static IssueEdit create() {
        return new IssueEdit();
    }

    public IssueEdit assignee(String accountId) {
        this.assignee = Optional.ofNullable(accountId);
        return this;
    }

    public IssueEdit priority(String name) {
        this.priority = name;
        return this;
    }

    public IssueEdit labels(List<String> all) {
        this.labels = new ArrayList<>(all);
        return this;
    }

    public IssueEdit addLabel(String label) {
        addLabels.add(label);
        return this;
    }

    public IssueEdit removeLabel(String label) {
        removeLabels.add(label);
        return this;
    }

    public IssueEdit components(List<String> all) {
        this.components = new ArrayList<>(all);
        return this;
    }

    public IssueEdit summary(String text) {
        this.summary = text;
        return this;
    }

    public IssueEdit description(JsonNode adf) {
        this.description = adf;
        return this;
    }
}
