package com.triageassistant.jira.emulator;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Predicate;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Everything an emulated site holds. One lock guards it all: the emulator serves tests, not production load, and
 * a single lock makes every read a consistent snapshot.
 */
final class SiteState {

    static final List<String> PRIORITIES = List.of("Highest", "High", "Medium", "Low", "Lowest");

    private final Clock clock;
    private final SiteEvents events;
    private final Map<String, EmulatedProject> projects = new LinkedHashMap<>();
    private final Map<String, EmulatedUser> users = new LinkedHashMap<>();
    private final TreeMap<Long, EmulatedIssue> issues = new TreeMap<>();
    private final Map<String, Long> idByKey = new HashMap<>();
    private final Map<String, Integer> lastNumber = new HashMap<>();
    /** Entity properties per issue id, in the order they were first set (Jira lists them so). */
    private final Map<Long, Map<String, JsonNode>> issueProperties = new HashMap<>();
    private long nextIssueId = 10_001;
    /** Bumped by every change to issues, so readers can tell whether a cached view is still current. */
    private long version;
    private long nextProjectId = 10_000;

    SiteState(Clock clock, SiteEvents events) {
        this.clock = clock;
        this.events = events;
    }

    synchronized EmulatedProject createProject(String key, String name, List<String> issueTypes,
                                               List<String> components) {
        if (projects.containsKey(key)) {
            throw JiraRequestException.badRequest("A project with that key already exists.");
        }
        EmulatedProject project = new EmulatedProject(nextProjectId++, key, name, issueTypes, components);
        projects.put(key, project);
        return project;
    }

    synchronized EmulatedUser createUser(String accountId, String displayName, boolean active) {
        EmulatedUser user = new EmulatedUser(accountId, displayName, active);
        users.put(accountId, user);
        return user;
    }

    synchronized EmulatedUser createAppUser(String accountId, String displayName) {
        EmulatedUser user = new EmulatedUser(accountId, displayName, true, true);
        users.put(accountId, user);
        return user;
    }

    synchronized Optional<EmulatedProject> project(String idOrKey) {
        EmulatedProject byKey = projects.get(idOrKey);
        if (byKey != null) {
            return Optional.of(byKey);
        }
        return projects.values().stream().filter(p -> String.valueOf(p.id()).equals(idOrKey)).findFirst();
    }

    synchronized List<EmulatedProject> projects() {
        return List.copyOf(projects.values());
    }

    synchronized Optional<EmulatedUser> user(String accountId) {
        return Optional.ofNullable(users.get(accountId));
    }

    synchronized List<EmulatedUser> assignableUsers(String projectKey) {
        EmulatedProject project = requireProject(projectKey);
        return users.values().stream()
                .filter(user -> user.active() && project.assignable().contains(user.accountId())).toList();
    }

    synchronized Optional<EmulatedIssue> issue(String idOrKey) {
        Long id = idByKey.get(idOrKey);
        if (id == null && idOrKey.chars().allMatch(Character::isDigit) && !idOrKey.isEmpty()) {
            id = Long.parseLong(idOrKey);
        }
        return Optional.ofNullable(id == null ? null : issues.get(id));
    }

    synchronized List<EmulatedIssue> issues(Predicate<EmulatedIssue> filter) {
        List<EmulatedIssue> matching = new ArrayList<>();
        for (EmulatedIssue issue : issues.values()) {
            if (filter.test(issue)) {
                matching.add(issue);
            }
        }
        return matching;
    }

    /** The matching issues and the version they were read at. */
    synchronized Snapshot snapshot(Predicate<EmulatedIssue> filter) {
        return new Snapshot(version, issues(filter));
    }

    record Snapshot(long version, List<EmulatedIssue> issues) {
    }

    synchronized long version() {
        return version;
    }

    synchronized int issueCount() {
        return issues.size();
    }

    /**
     * History loaded in bulk: no webhooks, as it happened before the app was installed. Ids are site-wide in Jira;
     * an id another project already uses is replaced by a fresh one.
     */
    synchronized void load(EmulatedIssue generated) {
        version++;
        EmulatedIssue issue = issues.containsKey(generated.id())
                ? new EmulatedIssue(nextIssueId, generated.key(), generated.projectKey(), generated.issueType(),
                        generated.summary(), generated.description(), generated.components(), generated.labels(),
                        generated.priority(), generated.assignee(), generated.reporter(), generated.created(),
                        generated.updated())
                : generated;
        issues.put(issue.id(), issue);
        idByKey.put(issue.key(), issue.id());
        int number = Integer.parseInt(issue.key().substring(issue.key().lastIndexOf('-') + 1));
        lastNumber.merge(issue.projectKey(), number, Math::max);
        nextIssueId = Math.max(nextIssueId, issue.id() + 1);
    }

    synchronized EmulatedIssue createIssue(String projectKey, String issueType, String summary, JsonNode description,
                                           List<String> components, List<String> labels, String priority,
                                           String assignee, String reporterAccountId) {
        EmulatedProject project = requireProject(projectKey);
        EmulatedUser reporter = requireUser(reporterAccountId);
        validateAssignee(project, assignee);
        validatePriority(priority);
        validateLabels(labels);
        Instant now = now();
        int number = lastNumber.merge(projectKey, 1, Integer::sum);
        version++;
        EmulatedIssue issue = new EmulatedIssue(nextIssueId++, projectKey + "-" + number, projectKey, issueType,
                summary, description, components, labels, priority, assignee, reporter.accountId(), now, now);
        issues.put(issue.id(), issue);
        idByKey.put(issue.key(), issue.id());
        events.issueCreated(issue, reporter);
        return issue;
    }

    /** Applies an edit as {@code actor}; fires {@code jira:issue_updated} when something changed. */
    synchronized EmulatedIssue edit(String idOrKey, IssueEdit edit, EmulatedUser actor) {
        EmulatedIssue before = issue(idOrKey).orElseThrow(() -> JiraRequestException.notFound("Issue does not exist or you do not have permission to see it."));
        EmulatedProject project = requireProject(before.projectKey());
        Instant now = later(before.updated());
        List<ChangeItem> changes = new ArrayList<>();
        EmulatedIssue after = before;

        if (edit.assignee != null && !Objects.equals(edit.assignee.orElse(null), before.assignee())) {
            String to = edit.assignee.orElse(null);
            validateAssignee(project, to);
            changes.add(new ChangeItem("assignee", "assignee", before.assignee(), displayName(before.assignee()),
                    to, displayName(to)));
            after = after.withAssignee(to, now);
        }
        if (edit.priority != null && !edit.priority.equals(before.priority())) {
            validatePriority(edit.priority);
            changes.add(new ChangeItem("priority", "priority", priorityId(before.priority()), before.priority(),
                    priorityId(edit.priority), edit.priority));
            after = after.withPriority(edit.priority, now);
        }
        List<String> labels = new ArrayList<>(edit.labels != null ? edit.labels : before.labels());
        labels.removeAll(edit.removeLabels);
        edit.addLabels.stream().filter(label -> !labels.contains(label)).forEach(labels::add);
        List<String> newLabels = List.copyOf(new LinkedHashSet<>(labels));
        if (!newLabels.equals(before.labels())) {
            validateLabels(newLabels);
            changes.add(new ChangeItem("labels", "labels", null, String.join(" ", before.labels()), null,
                    String.join(" ", newLabels)));
            after = after.withLabels(newLabels, now);
        }
        List<String> components = edit.components == null ? null : componentNames(project, edit.components);
        if (components != null && !components.equals(before.components())) {
            changes.add(new ChangeItem("Component", "components", null, String.join(", ", before.components()),
                    null, String.join(", ", components)));
            after = after.withComponents(components, now);
        }
        if (edit.summary != null && !edit.summary.equals(before.summary())) {
            if (edit.summary.isBlank()) {
                throw JiraRequestException.fieldError("summary", "You must specify a summary of the issue.");
            }
            changes.add(new ChangeItem("summary", "summary", null, before.summary(), null, edit.summary));
            after = after.withSummary(edit.summary, now);
        }
        if (edit.description != null && !edit.description.equals(before.description())) {
            changes.add(new ChangeItem("description", "description", null, null, null, null));
            after = after.withDescription(edit.description, now);
        }
        if (!changes.isEmpty()) {
            version++;
            issues.put(after.id(), after);
            events.issueUpdated(after, actor, changes);
        }
        return after;
    }

    /** Sets an issue's entity property; true when it was created, false when an existing value was replaced. */
    synchronized boolean setIssueProperty(String idOrKey, String propertyKey, JsonNode value) {
        EmulatedIssue issue = requireIssue(idOrKey);
        return issueProperties.computeIfAbsent(issue.id(), id -> new LinkedHashMap<>())
                .put(propertyKey, value.deepCopy()) == null;
    }

    synchronized Optional<JsonNode> issueProperty(String idOrKey, String propertyKey) {
        EmulatedIssue issue = requireIssue(idOrKey);
        return Optional.ofNullable(issueProperties.getOrDefault(issue.id(), Map.of()).get(propertyKey))
                .map(JsonNode::deepCopy);
    }

    synchronized List<String> issuePropertyKeys(String idOrKey) {
        EmulatedIssue issue = requireIssue(idOrKey);
        return List.copyOf(issueProperties.getOrDefault(issue.id(), Map.of()).keySet());
    }

    /** Removes an issue's entity property; false when it had none of that key. */
    synchronized boolean deleteIssueProperty(String idOrKey, String propertyKey) {
        EmulatedIssue issue = requireIssue(idOrKey);
        Map<String, JsonNode> properties = issueProperties.get(issue.id());
        return properties != null && properties.remove(propertyKey) != null;
    }

    synchronized void deleteIssue(String idOrKey, EmulatedUser actor) {
        EmulatedIssue issue = issue(idOrKey).orElseThrow(() -> JiraRequestException.notFound("Issue does not exist"));
        version++;
        issueProperties.remove(issue.id());
        issues.remove(issue.id());
        idByKey.remove(issue.key());
        events.issueDeleted(issue, actor);
    }

    synchronized void deleteProject(String key) {
        EmulatedProject project = requireProject(key);
        version++;
        issues.values().removeIf(issue -> {
            boolean inProject = issue.projectKey().equals(key);
            if (inProject) {
                issueProperties.remove(issue.id());
            }
            return inProject;
        });
        idByKey.keySet().removeIf(issueKey -> issueKey.startsWith(key + "-"));
        projects.remove(key);
        events.projectDeleted(project);
    }

    synchronized void deleteUser(String accountId) {
        requireUser(accountId).markDeleted();
        projects.values().forEach(project -> project.assignable().remove(accountId));
        events.userDeleted(accountId);
    }

    synchronized void deactivateUser(String accountId) {
        requireUser(accountId).deactivate();
    }

    EmulatedIssue requireIssue(String idOrKey) {
        return issue(idOrKey).orElseThrow(() -> JiraRequestException.notFound(
                "Issue does not exist or you do not have permission to see it."));
    }

    synchronized List<EmulatedUser> users() {
        return List.copyOf(users.values());
    }

    EmulatedProject requireProject(String key) {
        return project(key).orElseThrow(() -> JiraRequestException.notFound("No project could be found with key '" + key + "'."));
    }

    private EmulatedUser requireUser(String accountId) {
        EmulatedUser user = users.get(accountId);
        if (user == null) {
            throw JiraRequestException.badRequest("User " + accountId + " does not exist.");
        }
        return user;
    }

    private void validateAssignee(EmulatedProject project, String accountId) {
        if (accountId == null) {
            return;
        }
        EmulatedUser user = users.get(accountId);
        if (user == null || !user.active() || !project.assignable().contains(accountId)) {
            throw JiraRequestException.fieldError("assignee",
                    "User '" + accountId + "' cannot be assigned issues.");
        }
    }

    /** The project's component names for an edit's components, given by name or (REST) by id. */
    private static List<String> componentNames(EmulatedProject project, List<String> requested) {
        List<String> names = new ArrayList<>();
        for (String component : requested) {
            String name = component;
            if (component.startsWith(IssueEdit.COMPONENT_ID_PREFIX)) {
                String id = component.substring(IssueEdit.COMPONENT_ID_PREFIX.length());
                name = project.components().stream()
                        .filter(candidate -> String.valueOf(project.componentId(candidate)).equals(id)).findFirst()
                        .orElseThrow(() -> JiraRequestException.fieldError("components",
                                "Component id '" + id + "' is not valid"));
            } else if (!project.components().contains(component)) {
                throw JiraRequestException.fieldError("components", "Component name '" + component + "' is not valid");
            }
            names.add(name);
        }
        return names;
    }

    private static void validatePriority(String priority) {
        if (!PRIORITIES.contains(priority)) {
            throw JiraRequestException.fieldError("priority", "Specify the Priority (id or name) in the string format");
        }
    }

    private static void validateLabels(Collection<String> labels) {
        for (String label : labels) {
            if (label.isBlank() || label.chars().anyMatch(Character::isWhitespace) || label.length() > 255) {
                throw JiraRequestException.fieldError("labels", "The label '" + label + "' contains spaces which is invalid.");
            }
        }
    }

    static String priorityId(String name) {
        return name == null ? null : String.valueOf(PRIORITIES.indexOf(name) + 1);
    }

    static Optional<String> priorityById(String id) {
        try {
            int index = Integer.parseInt(id) - 1;
            return index >= 0 && index < PRIORITIES.size() ? Optional.of(PRIORITIES.get(index)) : Optional.empty();
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    private String displayName(String accountId) {
        return accountId == null ? null : Optional.ofNullable(users.get(accountId)).map(EmulatedUser::displayName)
                .orElse(accountId);
    }

    /** Jira keeps milliseconds. */
    private Instant now() {
        return clock.instant().truncatedTo(java.time.temporal.ChronoUnit.MILLIS);
    }

    /** Jira's clock only moves forward for an issue, even when the emulator's clock is fixed or behind its history. */
    private Instant later(Instant previous) {
        Instant now = now();
        return now.isAfter(previous) ? now : previous.plusMillis(1);
    }
}
