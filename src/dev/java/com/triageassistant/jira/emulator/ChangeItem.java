package com.triageassistant.jira.emulator;

/** One entry of a Jira changelog, as webhooks carry it: raw ids in from/to, display text in the strings. */
public record ChangeItem(String field, String fieldId, String from, String fromString, String to, String toText) {
}
