package com.triageassistant.ml;

import java.util.List;

/**
 * Priorities that mean "not set" in a project (Jira's {@code None}, and whatever the project declares): the
 * priority model neither learns from nor suggests them. Implemented where project settings live, so training does
 * not depend on the settings' package.
 */
public interface PriorityPlaceholders {

    List<String> of(String clientKey, String projectKey);
}
