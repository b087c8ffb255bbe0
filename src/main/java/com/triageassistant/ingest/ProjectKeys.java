package com.triageassistant.ingest;

import java.util.regex.Pattern;

import org.springframework.http.HttpStatus;
import org.springframework.web.server.ResponseStatusException;

/** Project keys taken from request paths: only what Jira itself allows gets further. */
public final class ProjectKeys {

    private static final Pattern PROJECT_KEY = Pattern.compile("[A-Z][A-Z0-9_]{0,99}");

    private ProjectKeys() {
    }

    /** @throws ResponseStatusException 400 when it is not a Jira project key */
    public static String valid(String projectKey) {
        if (!PROJECT_KEY.matcher(projectKey).matches()) {
            throw new ResponseStatusException(HttpStatus.BAD_REQUEST, "Not a Jira project key: " + projectKey);
        }
        return projectKey;
    }
}
