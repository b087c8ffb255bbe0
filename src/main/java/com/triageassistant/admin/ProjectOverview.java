package com.triageassistant.admin;

import java.time.Instant;
import java.util.List;

import com.triageassistant.ml.BaselineVerdict;
import com.triageassistant.suggest.TargetSettings;

/** Everything the project settings page shows. */
public record ProjectOverview(String projectKey, History history, List<Target> targets) {

    /** The project's history in the app: the backfill and the issues the store holds. */
    public record History(String state, long issuesRead, long issuesKnown, String lastError, Instant finishedAt) {
    }

    /**
     * @param belowBaseline why the newest version is not in service, when a simple prior beat it; else null
     * @param activeVersion the version in service, or null
     */
    public record Target(TargetSettings settings, Job job, List<Version> versions, Acceptance acceptance,
                         AutoApplyReport autoApply, Charts.Trend trend, Charts.Confusion confusion,
                         BaselineVerdict belowBaseline, Integer activeVersion) {
    }

    /** The target's training job now. */
    public record Job(String state, String reason, Instant requestedAt, Instant startedAt, Instant finishedAt,
                      String lastError) {

        public boolean busy() {
            return state.equals("PENDING") || state.equals("RUNNING");
        }
    }

    /** One trained version with its hold-out evaluation. */
    public record Version(int version, String status, Instant trainedAt, int samples, int trainIssues, int testIssues,
                          String metric, Double value, Double majority, Double comparedWith, Double seconds) {
    }

    /** What people did with the suggestions in the last 90 days. */
    public record Acceptance(long accepted, long dismissed, long overridden) {

        public Integer ratePercent() {
            long decided = accepted + dismissed + overridden;
            return decided == 0 ? null : (int) Math.round(100.0 * accepted / decided);
        }
    }

    /**
     * Auto-apply's record. Shadow decisions are scored against the issue's value now: right when it holds the
     * value, wrong when a person set something else, open while the field is empty.
     */
    public record AutoApplyReport(long applied, long overridden, long failed, long shadowRight, long shadowWrong,
                                  long shadowOpen) {

        public Integer shadowRatePercent() {
            long decided = shadowRight + shadowWrong;
            return decided == 0 ? null : (int) Math.round(100.0 * shadowRight / decided);
        }
    }
}
