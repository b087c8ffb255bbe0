package com.triageassistant.jira.emulator;

import java.security.SecureRandom;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.MACVerifier;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;

/**
 * The app system tokens the platform hands a remote in {@code x-forge-oauth-system}: bearer tokens for
 * {@code api.atlassian.com/ex/jira/{cloudId}}. To the app they are opaque, but JWT-shaped like Atlassian's (HS256
 * with a secret only the platform holds) so an app can read {@code exp}. The platform remembers every token it
 * issued, so it can refuse expired, forcibly expired and revoked ones, and hands out a cached token until it nears
 * its expiry, as Forge does.
 */
final class AppSystemTokens {

    /** What the platform knows of a token it issued. */
    record Issued(String installationId, String cloudId, String accountId, Instant expiresAt) {
    }

    private final Clock clock;
    private final byte[] secret = new byte[32];
    private final Map<String, Issued> issued = new ConcurrentHashMap<>();
    /** Tokens {@link #expireAll()} ended before their time. */
    private final Map<String, Boolean> forciblyExpired = new ConcurrentHashMap<>();
    private final Map<String, String> cachedByInstallation = new ConcurrentHashMap<>();
    private volatile Duration lifetime = Duration.ofHours(1);

    AppSystemTokens(Clock clock) {
        this.clock = clock;
        new SecureRandom().nextBytes(secret);
    }

    void lifetime(Duration lifetime) {
        this.lifetime = lifetime;
        cachedByInstallation.clear();
    }

    Duration lifetime() {
        return lifetime;
    }

    /** A fresh token for the installation's app user. */
    String issue(ForgeInstallation installation) {
        Instant now = clock.instant();
        Instant expires = now.plus(lifetime);
        JWTClaimsSet claims = new JWTClaimsSet.Builder()
                .issueTime(Date.from(now)).expirationTime(Date.from(expires))
                .subject(installation.appAccountId()).audience("api.atlassian.com")
                .claim("installationId", installation.installationId())
                .jwtID(UUID.randomUUID().toString()).build();
        try {
            SignedJWT jwt = new SignedJWT(new JWSHeader(JWSAlgorithm.HS256), claims);
            jwt.sign(new MACSigner(secret));
            String token = jwt.serialize();
            issued.put(token, new Issued(installation.installationId(), installation.cloudId(),
                    installation.appAccountId(), expires));
            return token;
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The installation's current token, re-issued once less than half its lifetime is left. */
    synchronized String current(ForgeInstallation installation) {
        String cached = cachedByInstallation.get(installation.installationId());
        if (cached != null) {
            Issued known = issued.get(cached);
            Duration left = Duration.between(clock.instant(), known.expiresAt());
            if (!forciblyExpired.containsKey(cached) && left.compareTo(lifetime.dividedBy(2)) > 0) {
                return cached;
            }
        }
        String fresh = issue(installation);
        cachedByInstallation.put(installation.installationId(), fresh);
        return fresh;
    }

    /** Ends every token issued so far; the next invocations carry new ones. */
    synchronized void expireAll() {
        issued.keySet().forEach(token -> forciblyExpired.put(token, true));
        cachedByInstallation.clear();
    }

    void forget(String installationId) {
        cachedByInstallation.remove(installationId);
    }

    /**
     * The token's record if it is one this platform issued, correctly signed and still within its lifetime.
     *
     * @throws JiraRequestException 401 with the reason otherwise
     */
    Issued verify(String token) {
        if (token == null) {
            throw unauthorized("missing bearer token");
        }
        try {
            SignedJWT jwt = SignedJWT.parse(token);
            if (!JWSAlgorithm.HS256.equals(jwt.getHeader().getAlgorithm()) || !jwt.verify(new MACVerifier(secret))) {
                throw unauthorized("invalid token");
            }
        } catch (ParseException | JOSEException e) {
            throw unauthorized("invalid token");
        }
        Issued known = issued.get(token);
        if (known == null) {
            throw unauthorized("invalid token");
        }
        if (forciblyExpired.containsKey(token) || !clock.instant().isBefore(known.expiresAt())) {
            throw unauthorized("token expired");
        }
        return known;
    }

    static JiraRequestException unauthorized(String reason) {
        return new JiraRequestException(401, java.util.List.of("Unauthorized: " + reason), Map.of());
    }
}
