package com.triageassistant.connect;

import java.time.Instant;

import com.atlassian.connect.spring.AtlassianHost;
import com.atlassian.connect.spring.AtlassianHostUser;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/** What the app knows about the calling tenant. The tenant is the one the verified JWT names, nothing else. */
@RestController
public class TenantController {

    @GetMapping("/api/tenant")
    public TenantView tenant(@AuthenticationPrincipal AtlassianHostUser user) {
        AtlassianHost host = user.getHost();
        return new TenantView(host.getClientKey(), host.getBaseUrl(), host.getDisplayUrl(), host.getProductType(),
                host.getCreatedDate() == null ? null : host.getCreatedDate().toInstant(),
                user.getUserAccountId().orElse(null));
    }

    public record TenantView(String clientKey, String baseUrl, String displayUrl, String productType,
                             Instant installedAt, String accountId) {
    }
}
