package com.triageassistant.operations;

import java.io.IOException;

import com.triageassistant.connect.SecurityConfiguration;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.boot.actuate.autoconfigure.security.servlet.EndpointRequest;
import org.springframework.boot.actuate.health.HealthEndpoint;
import org.springframework.boot.autoconfigure.security.SecurityProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpHeaders;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.core.authority.AuthorityUtils;
import org.springframework.security.core.context.SecurityContext;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.access.intercept.AuthorizationFilter;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Every actuator endpoint except health (public: {@link SecurityConfiguration}) takes the operator token as a
 * bearer token and nothing else. Ordered before ACSB's chain, which would otherwise put these paths behind Boot's
 * HTTP Basic user. {@code EndpointRequest} matches the endpoints on the management port too when
 * {@code management.server.port} moves them there: Boot applies this same filter chain in that context.
 */
@Configuration(proxyBeanMethods = false)
class OperatorSecurityConfiguration {

    static final String REALM = "Bearer realm=\"operations\"";

    @Bean
    OperatorToken operatorToken(OperationsProperties props) {
        return props.tokenFile() == null ? OperatorToken.none() : OperatorToken.readFrom(props.tokenFile());
    }

    @Bean
    @Order(SecurityProperties.BASIC_AUTH_ORDER - 1)
    SecurityFilterChain operatorEndpoints(HttpSecurity http, OperatorToken token) throws Exception {
        return http.securityMatcher(EndpointRequest.toAnyEndpoint().excluding(HealthEndpoint.class))
                .addFilterBefore(new BearerCheck(token), AuthorizationFilter.class)
                .authorizeHttpRequests(auth -> auth.anyRequest().authenticated())
                .sessionManagement(session -> session.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
                .csrf(csrf -> csrf.disable())
                .requestCache(cache -> cache.disable())
                .build();
    }

    /**
     * Answers the request itself unless it carries the operator token: 401 for a missing or wrong one, 403 when no
     * token is configured (no credentials could help, so none are asked for).
     */
    static final class BearerCheck extends OncePerRequestFilter {

        private static final String PREFIX = "Bearer ";

        private final OperatorToken token;

        BearerCheck(OperatorToken token) {
            this.token = token;
        }

        @Override
        protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
                throws ServletException, IOException {
            if (!token.configured()) {
                response.sendError(HttpServletResponse.SC_FORBIDDEN,
                        "Operator endpoints are off: triage.operations.token-file is not set");
                return;
            }
            String header = request.getHeader(HttpHeaders.AUTHORIZATION);
            boolean bearer = header != null && header.regionMatches(true, 0, PREFIX, 0, PREFIX.length());
            if (!bearer || !token.matches(header.substring(PREFIX.length()).strip())) {
                response.setHeader(HttpHeaders.WWW_AUTHENTICATE, REALM);
                response.sendError(HttpServletResponse.SC_UNAUTHORIZED);
                return;
            }
            SecurityContext context = SecurityContextHolder.createEmptyContext();
            context.setAuthentication(UsernamePasswordAuthenticationToken.authenticated("operator", null,
                    AuthorityUtils.createAuthorityList("ROLE_OPERATOR")));
            SecurityContextHolder.setContext(context);
            chain.doFilter(request, response);
        }
    }
}
