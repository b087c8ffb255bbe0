package com.triageassistant.jira.generator;

/** One misspelling the generator put into an issue's text. */
public record Typo(String original, String misspelled) {
}
