package com.triageassistant.jira.generator;

/**
 * The hidden state of one issue, drawn before anything visible: every visible field and every target is a
 * function of this state plus independent randomness, which is what makes the accuracy bounds exact.
 *
 * @param number    1-based position in creation order (the key's number)
 * @param created   epoch seconds
 * @param component index of the component the issue is really about (the visible field may be empty or list more)
 * @param subtopic  index into that component's {@link ComponentSpec#subtopics()}
 */
record IssueLatent(int number, long created, Person reporter, IssueType type, int component, int subtopic,
                   Aspect aspect, SeverityCue cue) {
}
