package com.triageassistant.jira.emulator;

import java.time.Instant;

/**
 * A REST call the app made to an emulated site, as the site answered it (also used for a person's writes from a
 * browser, see {@link EmulatedSite#personRequests()}).
 *
 * @param accountId the token's {@code sub} (the user the app acted for), or {@code null} for the app itself; for a
 *                  person's call, that person
 */
public record AppRequest(Instant at, String method, String path, String query, String body, int status,
                         String accountId) {
}
