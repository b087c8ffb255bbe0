package com.triageassistant.jira.emulator;

import java.time.Instant;

/**
 * A REST call the app made to an emulated site, as the site answered it.
 *
 * @param accountId the token's {@code sub} (the user the app acted for), or {@code null} for the app itself
 */
public record AppRequest(Instant at, String method, String path, String query, String body, int status,
                         String accountId) {
}
