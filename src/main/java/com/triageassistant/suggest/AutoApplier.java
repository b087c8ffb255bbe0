package com.triageassistant.suggest;

import java.time.Clock;
import java.util.Map;
import java.util.Optional;

import com.atlassian.connect.spring.AtlassianHost;
import com.atlassian.connect.spring.AtlassianHostRepository;
import com.triageassistant.ingest.IssueRecord;
import com.triageassistant.ingest.JiraCallException;
import com.triageassistant.ingest.JiraClient;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Gives a new issue, for each target in auto-apply mode whose field is still empty, its best value the model would
 * apply on its own (its 0.8-precision decision) that also clears the project's auto-apply floor: written to Jira as
 * the app (ON), or only recorded (SHADOW). One value per issue and target, even for labels: each issue and target
 * is decided once, so a value a person later changes or removes is never applied again.
 */
@Component
class AutoApplier {

    private static final Logger log = LoggerFactory.getLogger(AutoApplier.class);

    private final TargetSettingsStore settings;
    private final AutoApplyStore decisions;
    private final JiraClient jira;
    private final AtlassianHostRepository hosts;
    private final Clock clock;

    AutoApplier(TargetSettingsStore settings, AutoApplyStore decisions, JiraClient jira,
                AtlassianHostRepository hosts, Clock clock) {
        this.settings = settings;
        this.decisions = decisions;
        this.jira = jira;
        this.hosts = hosts;
        this.clock = clock;
    }

    /** @param view what the issue's glance shows now: its panels are the enabled targets' values and suggestions */
    void newIssueSuggested(String clientKey, IssueRecord issue, GlanceView view) {
        Map<String, TargetSettings> targets = settings.forProject(clientKey, issue.projectKey());
        for (GlanceView.TargetPanel panel : view.panels()) {
            TargetSettings target = targets.get(panel.target());
            if (target.autoApply() == AutoApplyMode.OFF || !panel.current().isEmpty()) {
                continue;
            }
            Optional<GlanceView.Item> best = panel.items().stream().filter(GlanceView.Item::auto).findFirst();
            if (best.isEmpty()) {
                continue;
            }
            GlanceView.Item top = best.get();
            boolean on = target.autoApply() == AutoApplyMode.ON;
            AutoApplyStore.Decision decision = new AutoApplyStore.Decision(issue.issueId(), panel.target(),
                    issue.projectKey(), target.autoApply(), top.value(), top.probability(), top.modelVersion(),
                    on ? AutoApplyStore.State.APPLIED : AutoApplyStore.State.WOULD_APPLY, null, clock.instant());
            if (decisions.claim(clientKey, decision) && on) {
                write(clientKey, issue, panel.target(), top);
            }
        }
    }

    private void write(String clientKey, IssueRecord issue, String target, GlanceView.Item top) {
        Optional<AtlassianHost> host = hosts.findById(clientKey);
        if (host.isEmpty()) {
            return;
        }
        try {
            jira.editIssue(host.get(), issue.issueId(), IssueEdits.apply(target, top.value(), issue));
        } catch (JiraCallException e) {
            log.info("Auto-apply of {} to issue {} failed: {}", target, issue.issueKey(), e.getMessage());
            decisions.update(clientKey, issue.issueId(), target, AutoApplyStore.State.FAILED, e.getMessage());
        }
    }
}
