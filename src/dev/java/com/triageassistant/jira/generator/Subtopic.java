package com.triageassistant.jira.generator;

import java.util.List;

/**
 * A theme within a component. Its nouns are synonyms, so the same theme reads differently from issue to issue.
 *
 * @param label   a label tied to this theme, or {@code null}
 * @param nouns   interchangeable names for the thing
 * @param actions what a user was doing when it went wrong ("when ...")
 */
record Subtopic(String label, List<String> nouns, List<String> actions) {
}
