package com.triageassistant.ingest;

import java.util.Optional;

/**
 * How the app reaches the Jira of a tenant that it does not sign Connect JWTs for (a Forge installation): an API base
 * URL and short-lived bearer tokens that arrive with the platform's invocations. Implemented by the {@code forge}
 * package; nothing here knows which door a tenant came through beyond this question.
 */
public interface BearerCredentials {

    /** The base URL of the tenant's REST API when it is reached with bearer tokens; empty for a Connect tenant. */
    Optional<String> apiBaseUrl(String clientKey);

    /** A token that is not expired and will not expire within the safety margin; empty when none is at hand. */
    Optional<String> freshToken(String clientKey);

    /** Jira answered 401 to this token: it must not be used again, and the site may be gone. */
    void refused(String clientKey, String token);
}
