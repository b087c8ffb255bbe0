package com.triageassistant.admin;

import java.time.Duration;

import com.atlassian.connect.spring.AtlassianHostUser;
import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.triageassistant.ingest.JiraCallException;
import com.triageassistant.ingest.JiraClient;
import org.springframework.stereotype.Component;

/**
 * Whether the person behind a request administers a project, asked of Jira with the account from the verified
 * token. Answers are remembered briefly (a page load and its saves ask several times); a revoked permission
 * takes effect within that time.
 */
@Component
class ProjectAdminCheck {

    private static final Duration REMEMBER = Duration.ofMinutes(1);

    private record Question(String clientKey, String accountId, String projectKey) {
    }

    private final JiraClient jira;
    private final Cache<Question, Boolean> answers = Caffeine.newBuilder().maximumSize(10_000)
            .expireAfterWrite(REMEMBER).build();

    ProjectAdminCheck(JiraClient jira) {
        this.jira = jira;
    }

    /** Anonymous users and unanswerable questions are not admins. */
    boolean isAdmin(AtlassianHostUser user, String projectKey) {
        if (user.getUserAccountId().isEmpty()) {
            return false;
        }
        Question question = new Question(user.getHost().getClientKey(), user.getUserAccountId().get(), projectKey);
        Boolean known = answers.getIfPresent(question);
        if (known != null) {
            return known;
        }
        try {
            boolean admin = jira.isProjectAdmin(user.getHost(), question.accountId(),
                    jira.projectId(user.getHost(), projectKey));
            answers.put(question, admin);
            return admin;
        } catch (JiraCallException e) {
            return false;
        }
    }

    /** @throws NotProjectAdminException unless the user administers the project */
    void require(AtlassianHostUser user, String projectKey) {
        if (!isAdmin(user, projectKey)) {
            throw new NotProjectAdminException();
        }
    }
}
