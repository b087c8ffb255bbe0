package com.triageassistant.jira.generator;

import java.util.List;

/**
 * A project and its whole history, ready to load into the emulator.
 *
 * @param priorities priority names, highest first (Jira's defaults: Highest, High, Medium, Low, Lowest)
 * @param issues     ordered by creation time
 */
public record GeneratedProject(long id, String key, String name, List<String> issueTypes, List<String> components,
                               List<String> labels, List<String> priorities, List<GeneratedUser> users,
                               List<GeneratedIssue> issues, GeneratorConfig config) {
}
