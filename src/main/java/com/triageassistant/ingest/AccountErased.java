package com.triageassistant.ingest;

/**
 * Jira erased a user (GDPR): the issue store and the inbox have forgotten the account; anything else that names it
 * must too.
 */
public record AccountErased(String clientKey, String accountId) {
}
