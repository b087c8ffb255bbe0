package com.triageassistant.suggest;

/**
 * Someone looks at an issue that has an active model but no stored suggestion (the sidecar was down when the
 * issue changed): it is suggested now, and the glance shows it at its next refresh.
 */
record SuggestionWanted(String clientKey, long issueId) {
}
