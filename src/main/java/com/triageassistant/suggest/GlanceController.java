package com.triageassistant.suggest;

import java.util.List;
import java.util.Map;

import com.atlassian.connect.spring.AtlassianHostUser;
import com.atlassian.connect.spring.ContextJwt;
import com.triageassistant.connect.PageHeaders;
import com.triageassistant.ml.TrainingProperties;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseBody;

/**
 * The issue glance: the page Jira frames (its URL signed by Jira, qsh-checked), the same content again for the
 * page's own refreshes, and the page's feedback. The last two carry the iframe's context token.
 */
@Controller
public class GlanceController {

    /** What the page sends for Apply and Dismiss. */
    public record FeedbackRequest(String target, String value, String action) {
    }

    private final GlanceService glance;
    private final FeedbackService feedback;
    private final PageHeaders headers;
    private final TargetCounters shown;

    GlanceController(GlanceService glance, FeedbackService feedback, PageHeaders headers, TrainingProperties targets,
                     MeterRegistry meters) {
        this.shown = new TargetCounters(meters, "triage.suggestions.shown",
                "glance panels shown with a ranking: with a suggested value, or with alternatives only",
                targets.targets(), "kind", List.of("suggested", "alternatives"));
        this.glance = glance;
        this.feedback = feedback;
        this.headers = headers;
    }

    @GetMapping("/glance")
    public String page(@AuthenticationPrincipal AtlassianHostUser user, @RequestParam long issueId,
                       @RequestParam(defaultValue = "") String issueKey,
                       @RequestParam(defaultValue = "") String projectKey, Model model,
                       HttpServletResponse response) {
        model.addAttribute("allJsUrl", headers.allJsUrl(user.getHost()));
        return render(user, issueId, issueKey, projectKey, model, response, "glance");
    }

    @ContextJwt
    @GetMapping("/api/issues/{issueId}/glance")
    public String content(@AuthenticationPrincipal AtlassianHostUser user, @PathVariable long issueId,
                          @RequestParam(defaultValue = "") String issueKey,
                          @RequestParam(defaultValue = "") String projectKey, Model model,
                          HttpServletResponse response) {
        return render(user, issueId, issueKey, projectKey, model, response, "glance :: content");
    }

    @ContextJwt
    @PostMapping("/api/issues/{issueId}/feedback")
    public ResponseEntity<Void> feedback(@AuthenticationPrincipal AtlassianHostUser user, @PathVariable long issueId,
                                         @RequestBody FeedbackRequest request) {
        if (request.target() == null || request.value() == null || request.action() == null) {
            throw new FeedbackService.RefusedFeedback("target, value and action are required", false);
        }
        FeedbackStore.Action action = switch (request.action()) {
            case "accepted" -> FeedbackStore.Action.ACCEPTED;
            case "dismissed" -> FeedbackStore.Action.DISMISSED;
            default -> throw new FeedbackService.RefusedFeedback("action must be accepted or dismissed", false);
        };
        feedback.record(user.getHost().getClientKey(), issueId, request.target(), request.value(), action);
        return ResponseEntity.noContent().build();
    }

    private String render(AtlassianHostUser user, long issueId, String issueKey, String projectKey, Model model,
                          HttpServletResponse response, String template) {
        headers.apply(response, user.getHost());
        GlanceView view = glance.view(user.getHost().getClientKey(), issueId, issueKey, projectKey);
        view.panels().stream().filter(panel -> !panel.items().isEmpty()).forEach(panel -> shown.increment(
                panel.target(), panel.suggested().isEmpty() ? "alternatives" : "suggested"));
        model.addAttribute("view", view);
        return template;
    }

    @ExceptionHandler(FeedbackService.RefusedFeedback.class)
    @ResponseBody
    ResponseEntity<Map<String, String>> refused(FeedbackService.RefusedFeedback e) {
        return ResponseEntity.status(e.notFound() ? HttpStatus.NOT_FOUND : HttpStatus.BAD_REQUEST)
                .body(Map.of("error", e.getMessage()));
    }
}
