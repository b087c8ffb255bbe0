package com.triageassistant.ml;

import java.time.Clock;
import java.util.List;

import com.atlassian.connect.spring.AtlassianHostUser;
import com.triageassistant.ingest.ProjectKeys;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * A project's models (every version with its evaluation) and training jobs, and the retrain button. The tenant is
 * the verified token's. (Restricting these to project admins comes with the admin page.)
 */
@RestController
public class ModelController {

    private final ModelRegistry registry;
    private final TrainingJobs jobs;
    private final TrainingJobRunner runner;
    private final TrainingProperties props;
    private final Clock clock;

    ModelController(ModelRegistry registry, TrainingJobs jobs, TrainingJobRunner runner, TrainingProperties props,
                    Clock clock) {
        this.registry = registry;
        this.jobs = jobs;
        this.runner = runner;
        this.props = props;
        this.clock = clock;
    }

    public record TargetModels(String target, List<ModelRegistry.ModelVersion> versions, TrainingJobs.Job job) {
    }

    @GetMapping("/api/projects/{projectKey}/models")
    public List<TargetModels> models(@AuthenticationPrincipal AtlassianHostUser user,
                                     @PathVariable String projectKey) {
        String clientKey = user.getHost().getClientKey();
        String key = ProjectKeys.valid(projectKey);
        return props.targets().stream().map(target -> new TargetModels(target,
                registry.versions(clientKey, key, target), jobs.find(clientKey, key, target).orElse(null))).toList();
    }

    @PostMapping("/api/projects/{projectKey}/train")
    public ResponseEntity<List<TrainingJobs.Job>> train(@AuthenticationPrincipal AtlassianHostUser user,
                                                        @PathVariable String projectKey) {
        String clientKey = user.getHost().getClientKey();
        String key = ProjectKeys.valid(projectKey);
        runner.requestAll(clientKey, key, "admin", clock.instant());
        return ResponseEntity.status(HttpStatus.ACCEPTED).body(jobs.list(clientKey, key));
    }
}
