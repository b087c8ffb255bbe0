package com.triageassistant.ingest;

import java.io.IOException;
import java.util.Optional;
import java.util.function.Supplier;

import com.atlassian.connect.spring.AtlassianHostUser;
import com.atlassian.connect.spring.internal.auth.jwt.JwtAuthentication;
import com.atlassian.connect.spring.internal.auth.jwt.JwtAuthenticationToken;
import com.atlassian.connect.spring.internal.auth.jwt.JwtCredentials;
import com.atlassian.connect.spring.internal.jwt.CanonicalHttpServletRequest;
import com.atlassian.connect.spring.internal.jwt.JwtInvalidClaimException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.nimbusds.jwt.JWTClaimsSet;
import com.triageassistant.Sha256;
import com.triageassistant.connect.JwtClaimRules;
import com.triageassistant.connect.RequestJwt;
import jakarta.servlet.FilterChain;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpHeaders;
import org.springframework.security.authentication.AuthenticationManager;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.AuthenticationException;
import org.springframework.web.filter.OncePerRequestFilter;
import org.springframework.web.filter.ServerHttpObservationFilter;

/**
 * Receives Jira's webhooks ({@code POST /webhooks/{event}}): authenticates the request, checks size and JSON,
 * writes the delivery to the inbox, and only then answers 204. The tenant is the token's.
 *
 * <p>A servlet filter that answers every request under {@code /webhooks/} itself, before Spring Security, rather
 * than a controller behind it: this is the app's hottest path, and a webhook needs none of the rest. Spring MVC's
 * dispatch (handler lookup, argument and return value handling, and ACSB's controller advice, which signs a fresh
 * self-authentication token for page templates on every request) and Spring Security's chain (whose
 * {@code HandlerMappingIntrospector} cache filter alone made a handler lookup for every request: 7% of the CPU at
 * saturation) are skipped. What ACSB's JWT filter and MVC interceptor would do is done here, with ACSB's own
 * {@link AuthenticationManager} (signature, expiry, known tenant): the request must carry a JWT, and its
 * {@code qsh} must be this request's (a context token is refused), and the verified claims must pass
 * {@link JwtClaimRules} ({@code JwtClaimsGuard}, which checks them for every other path, skips this one).
 */
final class WebhookReceiver extends OncePerRequestFilter {

    static final String PATH_PREFIX = "/webhooks/";

    private static final Logger log = LoggerFactory.getLogger(WebhookReceiver.class);

    private final AuthenticationManager authentication;
    private final JwtClaimRules claimRules;
    private final InboxIntake intake;
    private final ObjectMapper json;
    private final long maxBytes;
    private final Supplier<String> addonKey;
    private final AckMeters acks;

    /** @param addonKey the descriptor's key, asked only when refusing (it may not resolve during start-up) */
    WebhookReceiver(AuthenticationManager authentication, JwtClaimRules claimRules, InboxIntake intake,
                    ObjectMapper json, long maxBytes, Supplier<String> addonKey, AckMeters acks) {
        this.authentication = authentication;
        this.claimRules = claimRules;
        this.intake = intake;
        this.json = json;
        this.maxBytes = maxBytes;
        this.addonKey = addonKey;
        this.acks = acks;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws IOException {
        long start = System.nanoTime();
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
        String body = LimitedBody.read(request, maxBytes);
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
        boolean accepted = intake.accept(user.get().getHost().getClientKey(), deliveryId, jiraName, body);
        response.setStatus(HttpServletResponse.SC_NO_CONTENT);
        acks.acked(AckMeters.Platform.CONNECT, event.get(), accepted, start);
    }

    /**
     * The token's host user, or empty after answering 401: no JWT, one ACSB does not accept (signature, expiry,
     * unknown tenant), one whose claims break {@link JwtClaimRules}, or one whose {@code qsh} is not this request's.
     */
    private Optional<AtlassianHostUser> verifiedHostUser(HttpServletRequest request, HttpServletResponse response)
            throws IOException {
        String token = RequestJwt.of(request);
        if (token == null) {
            log.info("Rejected unsigned webhook request ({} {})", request.getMethod(), request.getRequestURI());
            return refuse(response, null);
        }
        Authentication result;
        try {
            result = authentication.authenticate(new JwtAuthenticationToken(
                    new JwtCredentials(token, new CanonicalHttpServletRequest(request))));
        } catch (AuthenticationException e) {
            // A different signing algorithm makes ACSB's provider abstain, hence ProviderNotFoundException.
            log.warn("Rejected webhook request ({} {}): {}", request.getMethod(), request.getRequestURI(),
                    e.getMessage());
            return refuse(response, null);
        }
        if (!(result instanceof JwtAuthentication jwt) || !(jwt.getPrincipal() instanceof AtlassianHostUser user)
                || !(jwt.getCredentials() instanceof JWTClaimsSet claims)) {
            return refuse(response, null);
        }
        String refusal = claimRules.refusal(claims);
        if (refusal != null) {
            log.warn("Rejected webhook request ({} {}): {}", request.getMethod(), request.getRequestURI(), refusal);
            return refuse(response, refusal);
        }
        try {
            jwt.validateQueryStringHash(true);
        } catch (JwtInvalidClaimException e) {
            return refuse(response, e.getMessage());
        }
        return Optional.of(user);
    }

    private Optional<AtlassianHostUser> refuse(HttpServletResponse response, String message) throws IOException {
        response.setHeader(HttpHeaders.WWW_AUTHENTICATE, "JWT realm=\"" + addonKey.get() + "\"");
        if (message == null) {
            response.sendError(HttpServletResponse.SC_UNAUTHORIZED);
        } else {
            response.sendError(HttpServletResponse.SC_UNAUTHORIZED, message);
        }
        return Optional.empty();
    }

    /**
     * Why the body is no webhook, or null when it is one JSON object. Checked by streaming through its tokens, not by
     * building the tree: the worker parses it later anyway, and here it only delays the acknowledgement.
     */
    private String invalidJson(String body) {
        try (JsonParser parser = json.createParser(body)) {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                return "Body must be a JSON object";
            }
            parser.skipChildren();
            return parser.nextToken() == null ? null : "Body must be a single JSON object";
        } catch (IOException e) {
            return "Body is not valid JSON";
        }
    }
}
