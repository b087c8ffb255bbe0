package com.triageassistant.ingest;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

import com.atlassian.connect.spring.AtlassianHostUser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.triageassistant.Sha256;
import jakarta.servlet.http.HttpServletRequest;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ResponseStatusException;

/**
 * Receives Jira's webhooks. ACSB has verified the JWT (unknown tenants and bad signatures never get here); this
 * checks size and JSON, writes the delivery to the inbox, and only then answers 2xx. The tenant is the token's.
 */
@RestController
public class WebhookController {

    private final WebhookInbox inbox;
    private final InboxWorker worker;
    private final ObjectMapper json;
    private final long maxBytes;

    WebhookController(WebhookInbox inbox, InboxWorker worker, ObjectMapper json, IngestProperties props) {
        this.inbox = inbox;
        this.worker = worker;
        this.json = json;
        this.maxBytes = props.maxWebhookSize().toBytes();
    }

    @PostMapping("/webhooks/{event}")
    public ResponseEntity<Void> receive(@AuthenticationPrincipal AtlassianHostUser user, @PathVariable String event,
                                        @RequestHeader(name = "X-Atlassian-Webhook-Identifier", required = false)
                                        String identifier,
                                        HttpServletRequest request) throws IOException {
        WebhookEvent webhook = WebhookEvent.byPath(event)
                .orElseThrow(() -> new ResponseStatusException(HttpStatus.NOT_FOUND, "No such webhook"));
        String body = readLimited(request);
        JsonNode payload;
        try {
            payload = json.readTree(body);
        } catch (JsonProcessingException e) {
            throw new ResponseStatusException(HttpStatus.BAD_REQUEST, "Body is not valid JSON");
        }
        if (payload == null || !payload.isObject()) {
            throw new ResponseStatusException(HttpStatus.BAD_REQUEST, "Body must be a JSON object");
        }
        String deliveryId = identifier != null && !identifier.isBlank() && identifier.length() <= 200
                ? identifier : "sha256:" + Sha256.hex(webhook.jiraName() + "\n" + body);
        if (inbox.accept(user.getHost().getClientKey(), deliveryId, webhook.jiraName(), body)) {
            worker.wakeUp();
        }
        return ResponseEntity.noContent().build();
    }

    private String readLimited(HttpServletRequest request) throws IOException {
        if (request.getContentLengthLong() > maxBytes) {
            throw new ResponseStatusException(HttpStatus.PAYLOAD_TOO_LARGE, "Webhook body exceeds " + maxBytes + " bytes");
        }
        try (InputStream in = request.getInputStream()) {
            byte[] bytes = in.readNBytes((int) maxBytes + 1);
            if (bytes.length > maxBytes) {
                throw new ResponseStatusException(HttpStatus.PAYLOAD_TOO_LARGE,
                        "Webhook body exceeds " + maxBytes + " bytes");
            }
            return new String(bytes, StandardCharsets.UTF_8);
        }
    }
}
