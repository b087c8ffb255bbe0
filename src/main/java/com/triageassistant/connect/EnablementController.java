package com.triageassistant.connect;

import java.time.Clock;

import com.atlassian.connect.spring.AtlassianHostUser;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/**
 * Jira's {@code enabled} and {@code disabled} lifecycle callbacks (ACSB handles only installed/uninstalled).
 * They carry an ordinary HS256 request JWT; the body must name the same tenant as the token.
 */
@RestController
public class EnablementController {

    private static final Logger log = LoggerFactory.getLogger(EnablementController.class);

    private final TenantStateRepository states;
    private final Clock clock;

    public EnablementController(TenantStateRepository states, Clock clock) {
        this.states = states;
        this.clock = clock;
    }

    @PostMapping("/lifecycle/{event:enabled|disabled}")
    public ResponseEntity<Void> lifecycle(@AuthenticationPrincipal AtlassianHostUser user,
                                          @PathVariable String event,
                                          @RequestBody LifecyclePayload payload) {
        String clientKey = user.getHost().getClientKey();
        if (!clientKey.equals(payload.clientKey()) || !event.equals(payload.eventType())) {
            log.warn("Refused {} callback whose body does not match its token's tenant", event);
            return ResponseEntity.status(HttpStatus.FORBIDDEN).build();
        }
        states.setEnabled(clientKey, event.equals("enabled"), clock.instant());
        log.info("Tenant {} {}", clientKey, event);
        return ResponseEntity.noContent().build();
    }

    public record LifecyclePayload(String clientKey, String eventType) {
    }
}
