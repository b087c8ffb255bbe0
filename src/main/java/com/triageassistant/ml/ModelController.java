package com.triageassistant.ml;

import java.util.List;

import com.atlassian.connect.spring.AtlassianHostUser;
import com.triageassistant.ingest.ProjectKeys;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;

/**
 * A project's models (every version with its evaluation) and training jobs, read-only. The tenant is the verified
 * token's; retraining is the project admins' (see the admin package).
 */
@RestController
public class ModelController {

    private final ModelRegistry registry;
    private final TrainingJobs jobs;
    private final TrainingProperties props;

    ModelController(ModelRegistry registry, TrainingJobs jobs, TrainingProperties props) {
        this.registry = registry;
        this.jobs = jobs;
        this.props = props;
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
}
