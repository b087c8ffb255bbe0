package com.triageassistant.ingest;

/** A tenant that could not be called (no fresh app token) can be again. */
public record JiraAccessRestored(String clientKey) {
}
