package com.triageassistant.jira.generator;

/**
 * How bad the reporter says it is. Drives the priority pattern; shows in the text as wording ("production down",
 * "crashes every time", "just a typo") most of the time, but not always.
 */
enum SeverityCue {
    CRITICAL, HIGH, NONE, LOW
}
