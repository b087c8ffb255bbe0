package com.triageassistant.jira.emulator;

import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A project: its components and issue types, who may be assigned its issues, and who administers it.
 */
public final class EmulatedProject {

    private final long id;
    private final String key;
    private final String name;
    private final List<String> issueTypes;
    private final List<String> components;
    private final Set<String> assignable = ConcurrentHashMap.newKeySet();
    private final Set<String> admins = ConcurrentHashMap.newKeySet();

    EmulatedProject(long id, String key, String name, List<String> issueTypes, List<String> components) {
        this.id = id;
        this.key = key;
        this.name = name;
        this.issueTypes = List.copyOf(issueTypes);
        this.components = List.copyOf(components);
    }

    public long id() {
        return id;
    }

    public String key() {
        return key;
    }

    public String name() {
        return name;
    }

    public List<String> issueTypes() {
        return issueTypes;
    }

    public List<String> components() {
        return components;
    }

    /** Account ids with the project's "Assignable user" permission (Jira also requires them to be active). */
    public Set<String> assignable() {
        return assignable;
    }

    /** Account ids with "Administer projects" on this project. */
    public Set<String> admins() {
        return admins;
    }

    long componentId(String component) {
        return id * 1000 + components.indexOf(component) + 1;
    }

    long issueTypeId(String issueType) {
        return 10000 + issueTypes.indexOf(issueType) + 1;
    }
}
