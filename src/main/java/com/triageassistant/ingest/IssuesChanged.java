package com.triageassistant.ingest;

import java.util.List;

/** Webhooks brought newer versions of these issues of one project into the store. */
public record IssuesChanged(String clientKey, String projectKey, List<Long> issueIds) {
}
