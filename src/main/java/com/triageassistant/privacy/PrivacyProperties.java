package com.triageassistant.privacy;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Personal Data Reporting: how the app reports the accountIds it stores to Jira and acts on the answers.
 *
 * @param enabled            report at all (off only for tests of other features)
 * @param pollInterval       how often a node looks for tenants whose report is due
 * @param firstReportDelay   a newly installed tenant's first report waits this long, so the history backfill has
 *                           stored the accounts it will
 * @param defaultCyclePeriod the next report's distance when Jira's answer has no usable {@code Cycle-Period}
 * @param retryDelay         after a failed report (5xx, time-out, 429 without a longer {@code Retry-After}): the
 *                           wait before the whole report is tried again
 * @param batchSize          accounts per call; Jira accepts at most 90
 */
@ConfigurationProperties("triage.privacy")
public record PrivacyProperties(
        @DefaultValue("true") boolean enabled,
        @DefaultValue("1m") Duration pollInterval,
        @DefaultValue("1h") Duration firstReportDelay,
        @DefaultValue("7d") Duration defaultCyclePeriod,
        @DefaultValue("15m") Duration retryDelay,
        @DefaultValue("90") int batchSize) {

    static final int MAX_BATCH = 90;

    public PrivacyProperties {
        if (batchSize < 1 || batchSize > MAX_BATCH) {
            throw new IllegalArgumentException("triage.privacy.batch-size must be 1.." + MAX_BATCH + ", was "
                    + batchSize);
        }
    }
}
