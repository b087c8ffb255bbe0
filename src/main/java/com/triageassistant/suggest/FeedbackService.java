package com.triageassistant.suggest;

import java.time.Clock;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

import com.triageassistant.ingest.IssueRecord;
import com.triageassistant.ingest.IssueStore;
import com.triageassistant.ml.TrainingProperties;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.stereotype.Service;

/**
 * Records what people do with suggestions: Apply and Dismiss from the glance, and changes they make in Jira after
 * a suggestion was shown (an override when they chose something else).
 */
@Service
public class FeedbackService {

    /** Changelog field ids of the targets. */
    private static final Set<String> TARGET_FIELDS = Set.of("assignee", "priority", "labels", "components");

    private final IssueStore issues;
    private final SuggestionStore suggestions;
    private final FeedbackStore feedback;
    private final AutoApplyStore autoApplied;
    private final TargetSettingsStore settings;
    private final Clock clock;
    private final TargetCounters recorded;

    FeedbackService(IssueStore issues, SuggestionStore suggestions, FeedbackStore feedback,
                    AutoApplyStore autoApplied, TargetSettingsStore settings, Clock clock,
                    TrainingProperties targets, MeterRegistry meters) {
        this.recorded = new TargetCounters(meters, "triage.feedback",
                "people's decisions on suggestions: Apply, Dismiss, or another value set in Jira",
                targets.targets(), "action", Arrays.stream(FeedbackStore.Action.values())
                        .map(FeedbackService::tagOf).toList());
        this.issues = issues;
        this.suggestions = suggestions;
        this.feedback = feedback;
        this.autoApplied = autoApplied;
        this.settings = settings;
        this.clock = clock;
    }

    /** Why a person's feedback was refused, in words for them. */
    public static final class RefusedFeedback extends RuntimeException {
        private final boolean notFound;

        RefusedFeedback(String message, boolean notFound) {
            super(message);
            this.notFound = notFound;
        }

        public boolean notFound() {
            return notFound;
        }
    }

    /**
     * Apply or Dismiss from the glance. The value must be one the app offered for this issue, now or in a ranking
     * the person's own edit has since replaced; the same decision twice (a double click) is recorded once.
     */
    public void record(String clientKey, long issueId, String target, String value, FeedbackStore.Action action) {
        if (action == FeedbackStore.Action.OVERRIDDEN) {
            throw new RefusedFeedback("Overrides are seen in Jira's history, not sent", false);
        }
        IssueRecord issue = issues.find(clientKey, issueId)
                .orElseThrow(() -> new RefusedFeedback("No such issue", true));
        SuggestionStore.Suggestion row = suggestions.find(clientKey, issueId).stream()
                .filter(s -> s.target().equals(target)).findFirst()
                .orElseThrow(() -> new RefusedFeedback("No " + target + " suggestion for this issue", true));
        EarlierOffers.Offer offer = row.values().stream().filter(s -> s.value().equals(value)).findFirst()
                .map(s -> new EarlierOffers.Offer(s.probability(), row.modelVersion()))
                .or(() -> row.offeredBefore(value))
                .orElseThrow(() -> new RefusedFeedback("That value was not suggested for this issue", false));
        boolean again = feedback.forIssue(clientKey, issueId).stream().anyMatch(f -> f.target().equals(target)
                && f.action() == action && value.equals(f.suggested()));
        if (!again) {
            feedback.record(clientKey, issue.projectKey(), new FeedbackStore.Feedback(issueId, target, action, value,
                    action == FeedbackStore.Action.ACCEPTED ? value : null, offer.p(), offer.version(),
                    clock.instant()));
            count(target, action);
        }
    }

    /**
     * A person changed target fields of an issue. Called before suggestions are recomputed, so the stored ones are
     * those the person saw. A single-valued field set to a value the glance did not offer, when it suggested one, is
     * an override of that suggestion;
     * a value auto-apply wrote that a person changed or removed is an override of auto-apply (shadow decisions are
     * scored against the issue's values when reported).
     */
    void personChanged(String clientKey, IssueRecord issue, Set<String> fields) {
        List<FeedbackStore.Feedback> earlier = feedback.forIssue(clientKey, issue.issueId());
        for (SuggestionStore.Suggestion row : suggestions.find(clientKey, issue.issueId())) {
            String target = row.target();
            if (!TARGET_FIELDS.contains(target) || !fields.contains(target)) {
                continue;
            }
            List<String> now = issue.valuesOf(target);
            autoApplied.find(clientKey, issue.issueId(), target)
                    .filter(d -> d.state() == AutoApplyStore.State.APPLIED)
                    .filter(d -> !now.contains(d.value()))
                    .ifPresent(d -> autoApplied.update(clientKey, issue.issueId(), target,
                            AutoApplyStore.State.OVERRIDDEN, "changed by a person to " + String.join(", ", now)));
            if (IssueEdits.multiValued(target) || now.isEmpty()) {
                continue;
            }
            TargetSettings targetSettings = settings.get(clientKey, issue.projectKey(), target);
            List<Ranking.Choice> shown = Ranking.offered(targetSettings, row.values(), List.of());
            // Picking any shown value, suggested or alternative, is taking an offer (the glance reports Apply
            // itself, maybe after this webhook), so only a value the app did not offer overrides its suggestion.
            boolean offered = shown.stream().anyMatch(c -> c.value().value().equals(now.get(0)));
            Optional<Suggested> suggested = shown.stream().filter(Ranking.Choice::suggested)
                    .map(Ranking.Choice::value).findFirst();
            boolean overriddenBefore = earlier.stream().anyMatch(f -> f.target().equals(target)
                    && f.action() == FeedbackStore.Action.OVERRIDDEN);
            if (suggested.isPresent() && !offered && !overriddenBefore) {
                Suggested top = suggested.get();
                feedback.record(clientKey, issue.projectKey(), new FeedbackStore.Feedback(issue.issueId(), target,
                        FeedbackStore.Action.OVERRIDDEN, top.value(), now.get(0), top.probability(),
                        row.modelVersion(), clock.instant()));
                count(target, FeedbackStore.Action.OVERRIDDEN);
            }
        }
    }

    private void count(String target, FeedbackStore.Action action) {
        recorded.increment(target, tagOf(action));
    }

    private static String tagOf(FeedbackStore.Action action) {
        return action.name().toLowerCase(Locale.ROOT);
    }
}
