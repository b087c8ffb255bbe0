package com.triageassistant.suggest;

import java.util.List;

import com.triageassistant.ml.TrainingProperties;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.stereotype.Component;

/** The glance a person is shown, by either host, counted as shown (the status lozenge's own reads are not). */
@Component
public class ShownGlances {

    private final GlanceService glance;
    private final TargetCounters shown;

    ShownGlances(GlanceService glance, TrainingProperties targets, MeterRegistry meters) {
        this.glance = glance;
        this.shown = new TargetCounters(meters, "triage.suggestions.shown",
                "glance panels shown with a ranking: with a suggested value, or with alternatives only",
                targets.targets(), "kind", List.of("suggested", "alternatives"));
    }

    /** @param projectKey from the host's context; used only while the issue itself is not in the store yet */
    public GlanceView show(String clientKey, long issueId, String issueKey, String projectKey) {
        GlanceView view = glance.view(clientKey, issueId, issueKey, projectKey);
        view.panels().stream().filter(panel -> !panel.items().isEmpty()).forEach(panel -> shown.increment(
                panel.target(), panel.suggested().isEmpty() ? "alternatives" : "suggested"));
        return view;
    }
}
