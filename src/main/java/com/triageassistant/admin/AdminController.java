package com.triageassistant.admin;

import java.time.Clock;
import java.util.List;
import java.util.Map;

import com.atlassian.connect.spring.AtlassianHostUser;
import com.atlassian.connect.spring.ContextJwt;
import com.triageassistant.connect.PageHeaders;
import com.triageassistant.ingest.ProjectKeys;
import com.triageassistant.ml.TrainingJobRunner;
import com.triageassistant.suggest.AutoApplyMode;
import com.triageassistant.suggest.TargetSettings;
import com.triageassistant.suggest.TargetSettingsStore;
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
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseBody;

/**
 * The project settings page (framed by Jira, its URL signed by Jira), its content again for the page's refreshes,
 * and what only project admins may do: change a target's settings, retrain. Anyone who can open the page sees
 * it; whether they may change anything is asked of Jira on every change, not taken from the page.
 */
@Controller
public class AdminController {

    /**
     * A target's settings as the page sends them. {@code autoThreshold} may be left out by callers that predate it:
     * the stored one then stays.
     */
    public record SettingsRequest(Boolean enabled, Double threshold, String autoApply, Double autoThreshold,
                                  List<String> excluded) {
    }

    private final ProjectOverviewService overview;
    private final ProjectAdminCheck admins;
    private final TargetSettingsStore settings;
    private final TrainingJobRunner training;
    private final PageHeaders headers;
    private final Clock clock;

    AdminController(ProjectOverviewService overview, ProjectAdminCheck admins, TargetSettingsStore settings,
                    TrainingJobRunner training, PageHeaders headers, Clock clock) {
        this.overview = overview;
        this.admins = admins;
        this.settings = settings;
        this.training = training;
        this.headers = headers;
        this.clock = clock;
    }

    @GetMapping("/admin/project")
    public String page(@AuthenticationPrincipal AtlassianHostUser user, @RequestParam String projectKey, Model model,
                       HttpServletResponse response) {
        headers.apply(response, user.getHost());
        model.addAttribute("allJsUrl", headers.allJsUrl(user.getHost()));
        return fill(user, ProjectKeys.valid(projectKey), model, "admin");
    }

    @ContextJwt
    @GetMapping("/api/projects/{projectKey}/admin")
    public String content(@AuthenticationPrincipal AtlassianHostUser user, @PathVariable String projectKey,
                          Model model, HttpServletResponse response) {
        headers.apply(response, user.getHost());
        return fill(user, ProjectKeys.valid(projectKey), model, "admin :: content");
    }

    @ContextJwt
    @PutMapping("/api/projects/{projectKey}/settings/{target}")
    @ResponseBody
    public TargetSettings save(@AuthenticationPrincipal AtlassianHostUser user, @PathVariable String projectKey,
                               @PathVariable String target, @RequestBody SettingsRequest request) {
        String key = ProjectKeys.valid(projectKey);
        admins.require(user, key);
        if (request.enabled() == null || request.threshold() == null || request.autoApply() == null) {
            throw new IllegalArgumentException("enabled, threshold and autoApply are required");
        }
        AutoApplyMode mode;
        try {
            mode = AutoApplyMode.valueOf(request.autoApply());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("autoApply must be OFF, SHADOW or ON");
        }
        String clientKey = user.getHost().getClientKey();
        double autoThreshold = request.autoThreshold() != null ? request.autoThreshold()
                : settings.get(clientKey, key, target).autoThreshold();
        return settings.save(clientKey, key, new TargetSettings(target, request.enabled(), request.threshold(), mode,
                autoThreshold, request.excluded() == null ? List.of() : request.excluded()));
    }

    @ContextJwt
    @PostMapping("/api/projects/{projectKey}/train")
    public ResponseEntity<Void> retrain(@AuthenticationPrincipal AtlassianHostUser user,
                                        @PathVariable String projectKey) {
        String key = ProjectKeys.valid(projectKey);
        admins.require(user, key);
        training.requestAll(user.getHost().getClientKey(), key, "admin", clock.instant());
        return ResponseEntity.status(HttpStatus.ACCEPTED).build();
    }

    @ExceptionHandler(NotProjectAdminException.class)
    @ResponseBody
    ResponseEntity<Map<String, String>> forbidden(NotProjectAdminException e) {
        return ResponseEntity.status(HttpStatus.FORBIDDEN)
                .body(Map.of("error", "Only project admins can change this project's settings"));
    }

    @ExceptionHandler(IllegalArgumentException.class)
    @ResponseBody
    ResponseEntity<Map<String, String>> invalid(IllegalArgumentException e) {
        return ResponseEntity.badRequest().body(Map.of("error", e.getMessage()));
    }

    private String fill(AtlassianHostUser user, String projectKey, Model model, String view) {
        model.addAttribute("overview", overview.overview(user.getHost().getClientKey(), projectKey));
        model.addAttribute("canEdit", admins.isAdmin(user, projectKey));
        model.addAttribute("chart", Map.of("width", Charts.WIDTH, "height", Charts.HEIGHT));
        return view;
    }
}
