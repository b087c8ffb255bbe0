package com.triageassistant.connect;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;

import com.nimbusds.jwt.JWTClaimsSet;
import org.springframework.stereotype.Component;

/**
 * What a JWT's claims must satisfy beyond what ACSB 4.1.1 checks: a {@code qsh} claim (without one ACSB skips the
 * check, so the token would be good for any request, although Jira always sends one), and no issue time in the
 * future (ACSB checks {@code exp} and {@code nbf} only, so a token dated ahead would outlive every expiry Jira
 * intends: a signed {@code uninstalled} dated ahead could be replayed for as long as its author chose).
 * {@link JwtClaimsGuard} applies them to every request before ACSB; the webhook receiver, which skips that filter,
 * to the claims ACSB verified.
 */
@Component
public class JwtClaimRules {

    /** The clock skew ACSB allows on {@code exp} and {@code nbf}. */
    static final Duration LEEWAY = Duration.ofSeconds(30);

    private final Clock clock;

    JwtClaimRules(Clock clock) {
        this.clock = clock;
    }

    /** Why a token with these claims is refused, or null. */
    public String refusal(JWTClaimsSet claims) {
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
