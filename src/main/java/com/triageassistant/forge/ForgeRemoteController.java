package com.triageassistant.forge;

import java.io.IOException;
import java.time.Clock;

import com.atlassian.connect.spring.ForgeRemote;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.triageassistant.ingest.AckMeters;
import com.triageassistant.ingest.InboxIntake;
import com.triageassistant.ingest.IngestProperties;
import com.triageassistant.ingest.LimitedBody;
import jakarta.servlet.http.HttpServletRequest;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ResponseStatusException;

/**
 * The endpoints {@code forge/manifest.yml} routes to this backend. Every one requires a valid Forge Invocation Token
 * ({@code @ForgeRemote}: ACSB's filter and interceptor, with {@link ForgeInvocationTokenVerifier} verifying); the tenant is
 * the token's installation, never anything in the body. Events are acknowledged after the durable inbox write,
 * within Forge's 5 s; anything Forge must not retry (a malformed body) is refused with 400, anything it should
 * retry (the store unavailable) fails with 5xx.
 */
@RestController
@RequestMapping("/forge")
public class ForgeRemoteController {

    private final VerifiedInvocations invocations;
    private final ForgeTenants tenants;
    private final ForgeInstallations installations;
    private final ForgeAppAccounts appAccounts;
    private final ForgeEventPayloads payloads;
    private final InboxIntake intake;
    private final ObjectMapper json;
    private final long maxBytes;
    private final Clock clock;
    private final AckMeters acks;

    ForgeRemoteController(VerifiedInvocations invocations, ForgeTenants tenants, ForgeInstallations installations,
                          ForgeAppAccounts appAccounts, ForgeEventPayloads payloads, InboxIntake intake,
                          ObjectMapper json, IngestProperties ingest, Clock clock, AckMeters acks) {
        this.invocations = invocations;
        this.tenants = tenants;
        this.installations = installations;
        this.appAccounts = appAccounts;
        this.payloads = payloads;
        this.intake = intake;
        this.json = json;
        this.maxBytes = ingest.maxWebhookSize().toBytes();
        this.clock = clock;
        this.acks = acks;
    }

    /** {@code avi:forge:installed:app} and {@code avi:forge:upgraded:app}. */
    @ForgeRemote
    @PostMapping("/lifecycle")
    public ResponseEntity<Void> lifecycle(HttpServletRequest request) throws IOException {
        // Atlassian's lifecycle payload need not name its event type: this route takes only the lifecycle trigger.
        String eventType = ForgeEventPayloads.unwrapped(body(request)).path("eventType")
                .asText("avi:forge:installed:app");
        if (!eventType.equals("avi:forge:installed:app") && !eventType.equals("avi:forge:upgraded:app")) {
            throw new ResponseStatusException(HttpStatus.BAD_REQUEST, "Not a lifecycle event this endpoint takes");
        }
        String clientKey = tenants.accept(invocations.current());
        appAccounts.learnIfMissing(clientKey);
        return ResponseEntity.noContent().build();
    }

    /** Jira's issue and project events. */
    @ForgeRemote
    @PostMapping("/events")
    public ResponseEntity<Void> events(HttpServletRequest request) throws IOException {
        long start = System.nanoTime();
        ObjectNode body = body(request);
        String clientKey = tenants.accept(invocations.current());
        String appAccountId = installations.find(clientKey)
                .map(ForgeInstallations.Installation::appAccountId).orElse(null);
        ForgeEventPayloads.InboxEvent event = payloads.toInbox(body, clock.instant(), appAccountId)
                .orElseThrow(() -> new ResponseStatusException(HttpStatus.BAD_REQUEST,
                        "Not an event this endpoint takes"));
        boolean accepted = intake.accept(clientKey, event.deliveryId(), event.webhookEvent(), event.payload());
        acks.acked(AckMeters.Platform.FORGE, event.webhookEvent(), accepted, start);
        return ResponseEntity.noContent().build();
    }

    /** The hourly scheduled trigger: the site is still there, and here is a fresh app token. */
    @ForgeRemote
    @PostMapping("/keepalive")
    public ResponseEntity<Void> keepalive(HttpServletRequest request) throws IOException {
        body(request);
        String clientKey = tenants.accept(invocations.current());
        appAccounts.learnIfMissing(clientKey);
        return ResponseEntity.noContent().build();
    }

    private ObjectNode body(HttpServletRequest request) throws IOException {
        String text = LimitedBody.read(request, maxBytes);
        if (text == null) {
            throw new ResponseStatusException(HttpStatus.PAYLOAD_TOO_LARGE, "Body exceeds " + maxBytes + " bytes");
        }
        JsonNode node;
        try {
            node = json.readTree(text.isEmpty() ? "{}" : text);
        } catch (JsonProcessingException e) {
            throw new ResponseStatusException(HttpStatus.BAD_REQUEST, "Body is not valid JSON");
        }
        if (!(node instanceof ObjectNode object)) {
            throw new ResponseStatusException(HttpStatus.BAD_REQUEST, "Body must be a JSON object");
        }
        return object;
    }
}
