package com.triageassistant.connect;

import java.io.IOException;
import java.text.ParseException;

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
 * Refuses, on every endpoint before ACSB (lifecycle included), tokens whose claims break {@link JwtClaimRules}.
 * Unsigned ({@code alg: none}) tokens get 401 here rather than ACSB's 400. Like {@link LifecycleRequestGuard} it
 * only ever refuses more: tokens it cannot parse, and signatures, are ACSB's to judge. Webhooks skip it: their
 * receiver applies the same rules to the claims ACSB verified, rather than parsing the token once more here.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE + 1)
class JwtClaimsGuard extends OncePerRequestFilter {

    private static final Logger log = LoggerFactory.getLogger(JwtClaimsGuard.class);

    private final JwtClaimRules rules;

    JwtClaimsGuard(JwtClaimRules rules) {
        this.rules = rules;
    }

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        return request.getRequestURI().startsWith(request.getContextPath() + "/webhooks/");
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String token = RequestJwt.of(request);
        String refusal = token == null ? null : refusal(token);
        if (refusal != null) {
            log.warn("Refused {} {}: {}", request.getMethod(), request.getRequestURI(), refusal);
            response.sendError(HttpServletResponse.SC_UNAUTHORIZED, refusal);
            return;
        }
        chain.doFilter(request, response);
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
        return rules.refusal(claims);
    }
}
