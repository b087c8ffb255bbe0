package com.triageassistant.connect;

import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.security.NoSuchAlgorithmException;
import java.text.ParseException;
import java.time.Instant;

import com.atlassian.connect.spring.internal.jwt.CanonicalHttpServletRequest;
import com.atlassian.connect.spring.internal.jwt.HttpRequestCanonicalizer;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Closes gaps ACSB 4.1.1 leaves open. For a first install (it checks these only for hosts it already knows): the
 * signed token's {@code qsh} must match this very request, and its issuer must be the tenant the body names. And
 * replays: a lifecycle token signed before the tenant's newest accepted install is refused, so a captured
 * {@code installed} cannot roll back a rotated secret and a captured {@code uninstalled} cannot erase a fresh
 * re-install while the token is still valid, nor can a captured {@code installed} re-create a tenant after its
 * uninstall (the uninstall's time outlives the erasure). It only ever refuses more; signature, key and audience remain ACSB's
 * job. Bodies are small: past {@code maxBodyBytes} the request is refused with 413.
 */
class LifecycleRequestGuard extends OncePerRequestFilter {

    private static final Logger log = LoggerFactory.getLogger(LifecycleRequestGuard.class);
    private static final String PREFIX = "JWT ";

    private final ObjectMapper json;
    private final LifecycleCallRepository calls;
    private final int maxBodyBytes;

    LifecycleRequestGuard(ObjectMapper json, LifecycleCallRepository calls, int maxBodyBytes) {
        this.json = json;
        this.calls = calls;
        this.maxBodyBytes = maxBodyBytes;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        byte[] body = request.getInputStream().readNBytes(maxBodyBytes + 1);
        if (body.length > maxBodyBytes) {
            response.sendError(HttpServletResponse.SC_REQUEST_ENTITY_TOO_LARGE, "Lifecycle payload too large");
            return;
        }
        String header = request.getHeader("Authorization");
        JWTClaimsSet claims = null;
        if (header != null && header.startsWith(PREFIX)) {
            String refusal;
            try {
                claims = SignedJWT.parse(header.substring(PREFIX.length())).getJWTClaimsSet();
                refusal = refusal(request, claims, body);
            } catch (ParseException e) {
                refusal = "malformed JWT";
            }
            if (refusal != null) {
                log.warn("Refused {} {}: {}", request.getMethod(), request.getRequestURI(), refusal);
                response.sendError(HttpServletResponse.SC_UNAUTHORIZED, refusal);
                return;
            }
        }
        chain.doFilter(new ReplayedBodyRequest(request, body), response);
        // Only now has ACSB verified the signature: remember the install or uninstall as the newest.
        if (claims != null && response.getStatus() / 100 == 2 && claims.getIssuer() != null
                && claims.getIssueTime() != null) {
            if (request.getRequestURI().endsWith("/installed")) {
                calls.installed(claims.getIssuer(), claims.getIssueTime().toInstant());
            } else if (request.getRequestURI().endsWith("/uninstalled")) {
                calls.uninstalled(claims.getIssuer(), claims.getIssueTime().toInstant());
            }
        }
    }

    private String refusal(HttpServletRequest request, JWTClaimsSet claims, byte[] body) {
        Object qsh = claims.getClaim("qsh");
        if (!(qsh instanceof String) || !qsh.equals(expectedQsh(request))) {
            return "JWT query string hash does not match the request";
        }
        String bodyClientKey;
        try {
            JsonNode clientKey = json.readTree(body).path("clientKey");
            bodyClientKey = clientKey.isTextual() ? clientKey.asText() : null;
        } catch (IOException e) {
            return null; // ACSB answers malformed bodies with 400.
        }
        if (bodyClientKey != null && !bodyClientKey.equals(claims.getIssuer())) {
            return "JWT issuer is not the tenant named in the payload";
        }
        if (claims.getIssuer() != null && claims.getIssueTime() != null) {
            Instant signed = claims.getIssueTime().toInstant();
            if (calls.installedSignedAt(claims.getIssuer()).filter(signed::isBefore).isPresent()) {
                return "JWT was signed before the tenant's newest install: a replay";
            }
            if (request.getRequestURI().endsWith("/installed")
                    && calls.uninstalledSignedAt(claims.getIssuer()).filter(signed::isBefore).isPresent()) {
                return "JWT was signed before the tenant's uninstall: a replay";
            }
        }
        return null;
    }

    private static String expectedQsh(HttpServletRequest request) {
        try {
            return HttpRequestCanonicalizer.computeCanonicalRequestHash(new CanonicalHttpServletRequest(request));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static final class ReplayedBodyRequest extends HttpServletRequestWrapper {

        private final byte[] body;

        ReplayedBodyRequest(HttpServletRequest request, byte[] body) {
            super(request);
            this.body = body;
        }

        @Override
        public ServletInputStream getInputStream() {
            ByteArrayInputStream in = new ByteArrayInputStream(body);
            return new ServletInputStream() {
                @Override
                public int read() {
                    return in.read();
                }

                @Override
                public int read(byte[] b, int off, int len) {
                    return in.read(b, off, len);
                }

                @Override
                public boolean isFinished() {
                    return in.available() == 0;
                }

                @Override
                public boolean isReady() {
                    return true;
                }

                @Override
                public void setReadListener(ReadListener listener) {
                    throw new UnsupportedOperationException();
                }
            };
        }

        @Override
        public BufferedReader getReader() {
            return new BufferedReader(new InputStreamReader(getInputStream(), StandardCharsets.UTF_8));
        }
    }
}
