package com.triageassistant.suggest;

import java.util.List;

import com.atlassian.connect.spring.AtlassianHostUser;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;

/** The stored suggestions of one of the calling tenant's issues (the glance reads these). */
@RestController
public class SuggestionController {

    private final SuggestionStore suggestions;

    SuggestionController(SuggestionStore suggestions) {
        this.suggestions = suggestions;
    }

    @GetMapping("/api/issues/{issueId}/suggestions")
    public List<SuggestionStore.Suggestion> suggestions(@AuthenticationPrincipal AtlassianHostUser user,
                                                        @PathVariable long issueId) {
        return suggestions.find(user.getHost().getClientKey(), issueId);
    }
}
