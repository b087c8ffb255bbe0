package com.triageassistant.connect;

import java.io.IOException;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;

import com.nimbusds.jwt.JWT;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.JWTParser;
import com.nimbusds.jwt.SignedJWT;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Refuses two kinds of token ACSB 4.1.1 lets through on every endpoint, lifecycle included: one without a
 * {@code qsh} claim (ACSB then skips the check, so the token would be good for any request, although Jira always
 * sends one), and one issued in the future (ACSB checks {@code exp} and {@code nbf} only, so a token dated ahead
 * would outlive every expiry Jira intends: a signed {@code uninstalled} dated ahead could be replayed for as long
 * as its author chose). Unsigned ({@code alg: none}) tokens get 401 here rather than ACSB's 400. Like {@link LifecycleRequestGuard} it only ever refuses more: tokens
 * it cannot parse, and signatures, are ACSB's to judge.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE + 1)
class JwtClaimsGuard extends OncePerRequestFilter {

    private static final Logger log = LoggerFactory.getLogger(JwtClaimsGuard.class);
    private static final String PREFIX = "JWT ";
    /** The clock skew ACSB allows on {@code exp} and {@code nbf}. */
    static final Duration LEEWAY = Duration.ofSeconds(30);

    private final Clock clock;

    JwtClaimsGuard(Clock clock) {
        this.clock = clock;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String token = token(request);
        String refusal = token == null ? null : refusal(token);
        if (refusal != null) {
            log.warn("Refused {} {}: {}", request.getMethod(), request.getRequestURI(), refusal);
            response.sendError(HttpServletResponse.SC_UNAUTHORIZED, refusal);
            return;
        }
        chain.doFilter(request, response);
    }

    /** Where ACSB looks: the Authorization header, else the {@code jwt} query parameter. */
    private static String token(HttpServletRequest request) {
        String header = request.getHeader("Authorization");
        if (header != null && header.startsWith(PREFIX)) {
            return header.substring(PREFIX.length());
        }
        String query = request.getQueryString();
        return query != null && query.contains("jwt=") ? request.getParameter("jwt") : null;
    }

    private String refusal(String token) {
        JWT jwt;
        JWTClaimsSet claims;
        try {
            jwt = JWTParser.parse(token);
            claims = jwt.getJWTClaimsSet();
        } catch (ParseException e) {
            return null;
        }
        if (!(jwt instanceof SignedJWT)) {
            return "JWT is not signed"; // alg none; ACSB refuses it too, but as a bad request
        }
        if (!(claims.getClaim("qsh") instanceof String)) {
            return "JWT has no query string hash";
        }
        Date issued = claims.getIssueTime();
        if (issued != null && issued.toInstant().isAfter(Instant.now(clock).plus(LEEWAY))) {
            return "JWT issued in the future";
        }
        return null;
    }
}
