package com.triageassistant.ingest;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.function.Supplier;

import com.atlassian.connect.spring.AtlassianHostUser;
import com.atlassian.connect.spring.internal.auth.jwt.JwtAuthentication;
import com.atlassian.connect.spring.internal.jwt.JwtInvalidClaimException;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.triageassistant.Sha256;
import jakarta.servlet.FilterChain;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpHeaders;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.web.filter.OncePerRequestFilter;
import org.springframework.web.filter.ServerHttpObservationFilter;

/**
 * Receives Jira's webhooks ({@code POST /webhooks/{event}}): checks size and JSON, writes the delivery to the
 * inbox, and only then answers 204. The tenant is the token's.
 *
 * <p>A servlet filter after ACSB's JWT filter rather than a controller: this is the app's hottest path, and Spring
 * MVC's dispatch is work a webhook does not need (handler lookup, argument and return value handling, and ACSB's
 * controller advice, which signs a fresh self-authentication token for page templates on every request). ACSB's
 * JWT filter has verified the signature, expiry and tenant before this runs (unknown tenants and bad signatures
 * never get here); what ACSB's MVC interceptor would add for a controller is done here: the request must carry a
 * JWT, and its {@code qsh} must be this request's (a context token is refused).
 */
final class WebhookReceiver extends OncePerRequestFilter {

    static final String PATH_PREFIX = "/webhooks/";

    private static final Logger log = LoggerFactory.getLogger(WebhookReceiver.class);

    private final WebhookInbox inbox;
    private final InboxWorker worker;
    private final ObjectMapper json;
    private final long maxBytes;
    private final Supplier<String> addonKey;

    /** @param addonKey the descriptor's key, asked only when refusing (it may not resolve during start-up) */
    WebhookReceiver(WebhookInbox inbox, InboxWorker worker, ObjectMapper json, long maxBytes,
                    Supplier<String> addonKey) {
        this.inbox = inbox;
        this.worker = worker;
        this.json = json;
        this.maxBytes = maxBytes;
        this.addonKey = addonKey;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws IOException {
        // The metric's uri tag, as Spring MVC would set it: one series for all events, not one per path.
        ServerHttpObservationFilter.findObservationContext(request)
                .ifPresent(context -> context.setPathPattern(PATH_PREFIX + "{event}"));
        if (!"POST".equals(request.getMethod())) {
            response.setHeader(HttpHeaders.ALLOW, "POST");
            response.sendError(HttpServletResponse.SC_METHOD_NOT_ALLOWED);
            return;
        }
        Optional<AtlassianHostUser> user = verifiedHostUser(request, response);
        if (user.isEmpty()) {
            return;
        }
        Optional<WebhookEvent> event = WebhookEvent.byPath(request.getRequestURI().substring(
                request.getContextPath().length() + PATH_PREFIX.length()));
        if (event.isEmpty()) {
            response.sendError(HttpServletResponse.SC_NOT_FOUND, "No such webhook");
            return;
        }
        String body = readLimited(request);
        if (body == null) {
            response.sendError(HttpServletResponse.SC_REQUEST_ENTITY_TOO_LARGE,
                    "Webhook body exceeds " + maxBytes + " bytes");
            return;
        }
        String invalid = invalidJson(body);
        if (invalid != null) {
            response.sendError(HttpServletResponse.SC_BAD_REQUEST, invalid);
            return;
        }
        String identifier = request.getHeader("X-Atlassian-Webhook-Identifier");
        String jiraName = event.get().jiraName();
        String deliveryId = identifier != null && !identifier.isBlank() && identifier.length() <= 200
                ? identifier : "sha256:" + Sha256.hex(jiraName + "\n" + body);
        if (inbox.accept(user.get().getHost().getClientKey(), deliveryId, jiraName, body)) {
            worker.wakeUp();
        }
        response.setStatus(HttpServletResponse.SC_NO_CONTENT);
    }

    /** The token's host user, or empty after answering 401: no JWT, or one whose {@code qsh} is not this request's. */
    private Optional<AtlassianHostUser> verifiedHostUser(HttpServletRequest request, HttpServletResponse response)
            throws IOException {
        Authentication authentication = SecurityContextHolder.getContext().getAuthentication();
        if (!(authentication instanceof JwtAuthentication jwt) || !jwt.isAuthenticated()
                || !(jwt.getPrincipal() instanceof AtlassianHostUser user)) {
            log.info("Rejected unsigned webhook request ({} {})", request.getMethod(), request.getRequestURI());
            response.setHeader(HttpHeaders.WWW_AUTHENTICATE, "JWT realm=\"" + addonKey.get() + "\"");
            response.sendError(HttpServletResponse.SC_UNAUTHORIZED);
            return Optional.empty();
        }
        try {
            jwt.validateQueryStringHash(true);
        } catch (JwtInvalidClaimException e) {
            response.sendError(HttpServletResponse.SC_UNAUTHORIZED, e.getMessage());
            return Optional.empty();
        }
        return Optional.of(user);
    }

    /** The body as text, or null if it is larger than allowed (read no further than one byte past the limit). */
    private String readLimited(HttpServletRequest request) throws IOException {
        if (request.getContentLengthLong() > maxBytes) {
            return null;
        }
        try (InputStream in = request.getInputStream()) {
            byte[] bytes = in.readNBytes((int) maxBytes + 1);
            return bytes.length > maxBytes ? null : new String(bytes, StandardCharsets.UTF_8);
        }
    }

    /** Why the body is no webhook, or null when it is a JSON object. */
    private String invalidJson(String body) {
        JsonNode payload;
        try {
            payload = json.readTree(body);
        } catch (JsonProcessingException e) {
            return "Body is not valid JSON";
        }
        return payload == null || !payload.isObject() ? "Body must be a JSON object" : null;
    }
}
