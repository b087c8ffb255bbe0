package com.triageassistant.jira.generator;

import java.util.List;

/**
 * A component a generated project may have: what its issues talk about and which code they fail in.
 *
 * @param label       the label people put on this component's issues when they bother to
 * @param criticality how strongly its issues lean towards High/Highest (1 = neutral): money and logins hurt more
 */
record ComponentSpec(String name, String label, double criticality, String javaPackage, List<String> javaClasses,
                     List<String> pythonModules, List<Subtopic> subtopics) {
}
