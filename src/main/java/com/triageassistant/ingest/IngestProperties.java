package com.triageassistant.ingest;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * @param maxWebhookSize          larger webhook bodies are refused with 413
 * @param workerThreads           inbox deliveries processed at once on this node
 * @param pollInterval            how often workers look for due deliveries (new ones wake them at once)
 * @param batchSize               deliveries handed to the workers at most per poll (the queue in front of them)
 * @param maxAttempts             attempts before a delivery is parked as dead
 * @param retryInitialDelay       first retry delay of a failing delivery; doubles per attempt
 * @param retryMaxDelay           cap on that delay
 * @param doneRetention           how long processed deliveries are kept to recognise late duplicates
 * @param backfillPageSize        issues per search/jql page
 * @param backfillThreads         backfill pages fetched at once on this node (tenants take turns)
 * @param backfillRetryInitialDelay first back-off after a 5xx or network error; doubles per failure
 * @param backfillRetryMaxDelay   cap on that back-off
 */
@ConfigurationProperties("triage.ingest")
public record IngestProperties(
        @DefaultValue("1MB") DataSize maxWebhookSize,
        @DefaultValue("2") int workerThreads,
        @DefaultValue("1s") Duration pollInterval,
        @DefaultValue("200") int batchSize,
        @DefaultValue("6") int maxAttempts,
        @DefaultValue("2s") Duration retryInitialDelay,
        @DefaultValue("10m") Duration retryMaxDelay,
        @DefaultValue("7d") Duration doneRetention,
        @DefaultValue("100") int backfillPageSize,
        @DefaultValue("2") int backfillThreads,
        @DefaultValue("1s") Duration backfillRetryInitialDelay,
        @DefaultValue("5m") Duration backfillRetryMaxDelay) {
}
