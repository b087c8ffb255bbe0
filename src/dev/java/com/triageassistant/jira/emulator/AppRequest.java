package com.triageassistant.jira.emulator;

import java.time.Instant;

/**
 * A REST call the app made to an emulated site, as the site answered it (also used for a person's writes from a
 * browser, see {@link EmulatedSite#personRequests()}).
 *
 * @param path        the site-relative path ({@code /rest/api/3/...}); in {@link ForgePlatform#apiCalls()} the full
 *                    {@code /ex/jira/{cloudId}/...} path
 * @param accountId   the token's {@code sub} (the user the app acted for), or {@code null} for the app itself; for a
 *                    person's call, that person; for a Forge call, the app's user
 * @param route       how the call reached the site: signed with the Connect shared secret, or through the Forge
 *                    platform's {@code /ex/jira/{cloudId}} with a bearer token
 * @param bearerToken the app system token of a Forge call (so a test can tell which token was used); null for
 *                    Connect and browser calls
 */
public record AppRequest(Instant at, String method, String path, String query, String body, int status,
                         String accountId, Route route, String bearerToken) {

    public enum Route { CONNECT, FORGE }

    public AppRequest(Instant at, String method, String path, String query, String body, int status,
                      String accountId) {
        this(at, method, path, query, body, status, accountId, Route.CONNECT, null);
    }

    AppRequest withPath(String otherPath) {
        return new AppRequest(at, method, otherPath, query, body, status, accountId, route, bearerToken);
    }

    /** Leaves the token out: records end up in assertion messages and test logs. */
    @Override
    public String toString() {
        return "AppRequest[" + route + " " + method + " " + path + (query == null ? "" : "?" + query) + " -> "
                + status + ", at=" + at + ", accountId=" + accountId
                + (bearerToken == null ? "" : ", bearerToken=<redacted>") + "]";
    }
}
