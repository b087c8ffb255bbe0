package com.triageassistant.ml;

import java.time.Duration;
import java.util.List;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * How models are (re)trained.
 *
 * @param targets             what the app learns per project
 * @param threads             training jobs run at once on this node (each is CPU-heavy in the sidecar)
 * @param promotionTolerance  how much worse on its main metric a new model may be than the active one and still
 *                            replace it (0.02 = 2 points)
 * @param autoPrecision       precision on validation that a value's auto-apply threshold is chosen for
 * @param newIssuesToRetrain  changed issues in a project since its last training that trigger the next one
 * @param debounce            how long a retraining waits after being triggered by changes, so a burst trains once
 * @param retrainEvery        models older than this are retrained if their project changed at all
 * @param retryInitialDelay   first wait after a failed attempt (sidecar down, Jira unavailable); doubles
 * @param retryMaxDelay       cap on that wait
 * @param maxAttempts         attempts before a job is marked FAILED (a sidecar that is down does not count)
 */
@ConfigurationProperties("triage.training")
public record TrainingProperties(
        @DefaultValue({"assignee", "labels", "components", "priority"}) List<String> targets,
        @DefaultValue("1") int threads,
        @DefaultValue("0.02") double promotionTolerance,
        @DefaultValue("0.8") double autoPrecision,
        @DefaultValue("50") int newIssuesToRetrain,
        @DefaultValue("10m") Duration debounce,
        @DefaultValue("24h") Duration retrainEvery,
        @DefaultValue("5s") Duration retryInitialDelay,
        @DefaultValue("10m") Duration retryMaxDelay,
        @DefaultValue("5") int maxAttempts) {
}
