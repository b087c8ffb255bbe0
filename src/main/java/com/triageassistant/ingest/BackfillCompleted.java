package com.triageassistant.ingest;

/** A project's history is in the store (published once per completed backfill). */
public record BackfillCompleted(String clientKey, String projectKey) {
}
