package com.triageassistant.suggest;

import com.atlassian.connect.spring.AtlassianHostUser;
import com.atlassian.connect.spring.ContextJwt;
import com.triageassistant.connect.PageHeaders;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
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

    /** What a page sends for Apply and Dismiss, on either host. */
    public record FeedbackRequest(String target, String value, String action) {

        /** The decision it reports; refused in words when incomplete or not Apply or Dismiss. */
        public FeedbackStore.Action decision() {
            if (target == null || value == null || action == null) {
                throw new FeedbackService.RefusedFeedback("target, value and action are required", false);
            }
            return switch (action) {
                case "accepted" -> FeedbackStore.Action.ACCEPTED;
                case "dismissed" -> FeedbackStore.Action.DISMISSED;
                default -> throw new FeedbackService.RefusedFeedback("action must be accepted or dismissed", false);
            };
        }
    }

    private final ShownGlances glances;
    private final FeedbackService feedback;
    private final PageHeaders headers;

    GlanceController(ShownGlances glances, FeedbackService feedback, PageHeaders headers) {
        this.glances = glances;
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

    /** The glance as data, for a page that renders it itself. */
    @ContextJwt
    @GetMapping("/api/issues/{issueId}/view")
    @ResponseBody
    public GlanceView view(@AuthenticationPrincipal AtlassianHostUser user, @PathVariable long issueId,
                           @RequestParam(defaultValue = "") String issueKey,
                           @RequestParam(defaultValue = "") String projectKey) {
        return glances.show(user.getHost().getClientKey(), issueId, issueKey, projectKey);
    }

    @ContextJwt
    @PostMapping("/api/issues/{issueId}/feedback")
    public ResponseEntity<Void> feedback(@AuthenticationPrincipal AtlassianHostUser user, @PathVariable long issueId,
                                         @RequestBody FeedbackRequest request) {
        feedback.record(user.getHost().getClientKey(), issueId, request.target(), request.value(),
                request.decision());
        return ResponseEntity.noContent().build();
    }

    private String render(AtlassianHostUser user, long issueId, String issueKey, String projectKey, Model model,
                          HttpServletResponse response, String template) {
        headers.apply(response, user.getHost());
        model.addAttribute("view", glances.show(user.getHost().getClientKey(), issueId, issueKey, projectKey));
        return template;
    }
}
