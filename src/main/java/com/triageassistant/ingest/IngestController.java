package com.triageassistant.ingest;

import java.util.List;

import com.atlassian.connect.spring.AtlassianHostUser;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ResponseStatusException;

/**
 * History and inbox status for the calling tenant, and the two things an operator does about them: (re)start a
 * project's backfill, replay a parked delivery. The tenant is the verified token's. (Restricting these to project
 * admins comes with the admin page.)
 */
@RestController
public class IngestController {

    private final BackfillRepository backfills;
    private final BackfillRunner runner;
    private final WebhookInbox inbox;
    private final InboxWorker worker;
    private final IssueStore issues;

    IngestController(BackfillRepository backfills, BackfillRunner runner, WebhookInbox inbox, InboxWorker worker,
                     IssueStore issues) {
        this.backfills = backfills;
        this.runner = runner;
        this.inbox = inbox;
        this.worker = worker;
        this.issues = issues;
    }

    /** @param inboxDone deliveries applied (one per webhook identifier) and still remembered to spot late duplicates */
    public record Status(List<ProjectHistory> projects, long inboxPending, long inboxDead, long inboxDone) {
    }

    public record ProjectHistory(String projectKey, long issuesKnown, BackfillRepository.Backfill backfill) {
    }

    @GetMapping("/api/ingest/status")
    public Status status(@AuthenticationPrincipal AtlassianHostUser user) {
        String clientKey = user.getHost().getClientKey();
        List<ProjectHistory> projects = backfills.list(clientKey).stream()
                .map(backfill -> new ProjectHistory(backfill.projectKey(),
                        issues.countLive(clientKey, backfill.projectKey()), backfill)).toList();
        return new Status(projects, inbox.count(clientKey, WebhookInbox.PENDING),
                inbox.count(clientKey, WebhookInbox.DEAD), inbox.count(clientKey, WebhookInbox.DONE));
    }

    @GetMapping("/api/projects/{projectKey}/history")
    public ProjectHistory history(@AuthenticationPrincipal AtlassianHostUser user, @PathVariable String projectKey) {
        String clientKey = user.getHost().getClientKey();
        String key = ProjectKeys.valid(projectKey);
        return new ProjectHistory(key, issues.countLive(clientKey, key), backfills.find(clientKey, key).orElse(null));
    }

    @PostMapping("/api/projects/{projectKey}/backfill")
    public ResponseEntity<BackfillRepository.Backfill> backfill(@AuthenticationPrincipal AtlassianHostUser user,
                                                                @PathVariable String projectKey) {
        BackfillRepository.Backfill backfill = backfills.request(user.getHost().getClientKey(),
                ProjectKeys.valid(projectKey));
        runner.wakeUp();
        return ResponseEntity.status(HttpStatus.ACCEPTED).body(backfill);
    }

    @GetMapping("/api/inbox/dead")
    public List<WebhookInbox.Delivery> dead(@AuthenticationPrincipal AtlassianHostUser user) {
        return inbox.dead(user.getHost().getClientKey());
    }

    @PostMapping("/api/inbox/dead/{deliveryId}/replay")
    public ResponseEntity<Void> replay(@AuthenticationPrincipal AtlassianHostUser user,
                                       @PathVariable String deliveryId) {
        if (!inbox.replay(user.getHost().getClientKey(), deliveryId)) {
            throw new ResponseStatusException(HttpStatus.NOT_FOUND, "No parked delivery " + deliveryId);
        }
        worker.wakeUp();
        return ResponseEntity.accepted().build();
    }

}
