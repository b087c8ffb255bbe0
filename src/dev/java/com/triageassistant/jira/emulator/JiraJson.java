package com.triageassistant.jira.emulator;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Set;
import java.util.function.Function;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** Renders the emulator's state in the JSON shapes of Jira Cloud's REST API v3 and webhooks. */
final class JiraJson {

    static final ObjectMapper MAPPER = new ObjectMapper();
    static final List<String> ISSUE_FIELDS = List.of("summary", "description", "issuetype", "project", "components",
            "labels", "priority", "assignee", "reporter", "created", "updated", "status");

    /** Jira's timestamp format, e.g. {@code 2024-03-01T09:15:00.000+0000}. */
    static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSZ")
            .withZone(ZoneOffset.UTC);

    private final String baseUrl;
    private final Function<String, EmulatedUser> users;
    private final Function<String, EmulatedProject> projects;

    JiraJson(String baseUrl, Function<String, EmulatedUser> users, Function<String, EmulatedProject> projects) {
        this.baseUrl = baseUrl;
        this.users = users;
        this.projects = projects;
    }

    static String time(Instant instant) {
        return TIME.format(instant);
    }

    ObjectNode user(EmulatedUser user) {
        ObjectNode node = MAPPER.createObjectNode();
        node.put("self", baseUrl + "/rest/api/3/user?accountId=" + user.accountId());
        node.put("accountId", user.accountId());
        node.put("accountType", user.accountType());
        node.put("displayName", user.displayName());
        node.put("active", user.active());
        node.putObject("avatarUrls").put("48x48", avatarUrl(user.accountId()))
                .put("24x24", avatarUrl(user.accountId()));
        return node;
    }

    String avatarUrl(String accountId) {
        return baseUrl + "/secure/useravatar?accountId=" + accountId;
    }

    ObjectNode project(EmulatedProject project) {
        ObjectNode node = MAPPER.createObjectNode();
        node.put("self", baseUrl + "/rest/api/3/project/" + project.id());
        node.put("id", String.valueOf(project.id()));
        node.put("key", project.key());
        node.put("name", project.name());
        node.put("projectTypeKey", "software");
        return node;
    }

    ObjectNode priority(String name) {
        ObjectNode node = MAPPER.createObjectNode();
        node.put("self", baseUrl + "/rest/api/3/priority/" + SiteState.priorityId(name));
        node.put("id", SiteState.priorityId(name));
        node.put("name", name);
        node.put("iconUrl", baseUrl + "/images/icons/priorities/" + name.toLowerCase() + ".svg");
        return node;
    }

    /** The GET-issue shape. {@code fields} null means all fields. */
    ObjectNode issue(EmulatedIssue issue, Set<String> fields) {
        ObjectNode node = MAPPER.createObjectNode();
        node.put("id", String.valueOf(issue.id()));
        node.put("key", issue.key());
        node.put("self", baseUrl + "/rest/api/3/issue/" + issue.id());
        if (fields != null && fields.isEmpty()) {
            return node;
        }
        EmulatedProject project = projects.apply(issue.projectKey());
        ObjectNode f = node.putObject("fields");
        for (String field : ISSUE_FIELDS) {
            if (fields != null && !fields.contains(field)) {
                continue;
            }
            switch (field) {
                case "summary" -> f.put("summary", issue.summary());
                case "description" -> f.set("description", issue.description());
                case "issuetype" -> f.putObject("issuetype")
                        .put("id", String.valueOf(project == null ? 0 : project.issueTypeId(issue.issueType())))
                        .put("name", issue.issueType());
                case "project" -> f.set("project", project == null ? null : project(project));
                case "components" -> {
                    ArrayNode components = f.putArray("components");
                    for (String component : issue.components()) {
                        components.addObject()
                                .put("id", String.valueOf(project == null ? 0 : project.componentId(component)))
                                .put("name", component);
                    }
                }
                case "labels" -> issue.labels().forEach(f.putArray("labels")::add);
                case "priority" -> f.set("priority", priority(issue.priority()));
                case "assignee" -> f.set("assignee", userRef(issue.assignee()));
                case "reporter" -> f.set("reporter", userRef(issue.reporter()));
                case "created" -> f.put("created", time(issue.created()));
                case "updated" -> f.put("updated", time(issue.updated()));
                case "status" -> f.putObject("status").put("name", "Open");
                default -> throw new IllegalStateException(field);
            }
        }
        return node;
    }

    private ObjectNode userRef(String accountId) {
        if (accountId == null) {
            return null;
        }
        EmulatedUser user = users.apply(accountId);
        return user == null ? MAPPER.createObjectNode().put("accountId", accountId) : user(user);
    }
}
