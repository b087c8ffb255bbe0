package com.triageassistant.ml;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * How suggestions are computed.
 *
 * @param batchMaxWait  how long a prediction waits for others of the same model to share the sidecar call
 * @param batchMaxSize  a batch that reaches this size goes at once
 * @param threads       threads that encode batches, call the sidecar and read its answers; the client sends one
 *                      call at a time, so a second thread prepares the next batch while the sidecar predicts one
 * @param topK          values kept per target and issue; at least {@value #MIN_TOP_K}, so the glance still has three
 *                      to show after leaving out excluded values, the issue's own and those people decided on
 * @param maxFeatures   features named as the reasons for each value
 * @param shutdownGrace at shutdown, how long requests already made may take to be answered
 */
@ConfigurationProperties("triage.serving")
public record ServingProperties(
        @DefaultValue("5ms") Duration batchMaxWait,
        @DefaultValue("256") int batchMaxSize,
        @DefaultValue("2") int threads,
        @DefaultValue("5") int topK,
        @DefaultValue("5") int maxFeatures,
        @DefaultValue("10s") Duration shutdownGrace) {

    public static final int MIN_TOP_K = 5;

    public ServingProperties {
        // raised rather than refused: a configuration written for the older 3 must not stop the app from starting
        topK = Math.max(topK, MIN_TOP_K);
    }
}
