package com.triageassistant.operations;

import java.nio.file.Path;
import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * @param tokenFile    a file holding the operator token that every actuator endpoint but health requires
 *                     ({@code Authorization: Bearer <token>}); unset: those endpoints refuse everyone (403). A
 *                     file rather than a property so the token is in no environment, command line or config dump.
 * @param gaugeRefresh how often the gauges that need a query (inbox depth, open backfills, training jobs) are
 *                     sampled; a scrape reads the last sample
 */
@ConfigurationProperties("triage.operations")
public record OperationsProperties(Path tokenFile, @DefaultValue("15s") Duration gaugeRefresh) {
}
