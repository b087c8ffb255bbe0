package com.triageassistant.connect;

import java.io.IOException;
import java.time.Clock;

import com.atlassian.connect.spring.AtlassianHostUser;
import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.triageassistant.ingest.LimitedBody;
import jakarta.servlet.http.HttpServletRequest;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * Jira's {@code enabled} and {@code disabled} lifecycle callbacks (ACSB handles only installed/uninstalled).
 * They carry an ordinary HS256 request JWT; the body must name the same tenant as the token.
 */
@RestController
public class EnablementController {

    private static final Logger log = LoggerFactory.getLogger(EnablementController.class);

    private final TenantStateRepository states;
    private final ObjectMapper json;
    private final Clock clock;

    public EnablementController(TenantStateRepository states, ObjectMapper json, Clock clock) {
        this.states = states;
        this.json = json;
        this.clock = clock;
    }

    @PostMapping("/lifecycle/{event:enabled|disabled}")
    public ResponseEntity<Void> lifecycle(@AuthenticationPrincipal AtlassianHostUser user,
                                          @PathVariable String event, HttpServletRequest request)
            throws IOException {
        // Read no further than the cap every lifecycle body has (an authenticated tenant could otherwise send any size).
        String body = LimitedBody.read(request, LifecycleGuardConfiguration.MAX_LIFECYCLE_BODY_BYTES);
        if (body == null) {
            return ResponseEntity.status(HttpStatus.PAYLOAD_TOO_LARGE).build();
        }
        LifecyclePayload payload;
        try {
            payload = json.readValue(body, LifecyclePayload.class);
        } catch (JsonProcessingException e) {
            return ResponseEntity.badRequest().build();
        }
        String clientKey = user.getHost().getClientKey();
        if (!clientKey.equals(payload.clientKey()) || !event.equals(payload.eventType())) {
            log.warn("Refused {} callback whose body does not match its token's tenant", event);
            return ResponseEntity.status(HttpStatus.FORBIDDEN).build();
        }
        states.setEnabled(clientKey, event.equals("enabled"), clock.instant());
        log.info("Tenant {} {}", clientKey, event);
        return ResponseEntity.noContent().build();
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    public record LifecyclePayload(String clientKey, String eventType) {
    }
}
