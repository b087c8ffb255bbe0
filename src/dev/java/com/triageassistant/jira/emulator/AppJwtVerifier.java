package com.triageassistant.jira.emulator;

import java.nio.charset.StandardCharsets;
import java.text.ParseException;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.crypto.MACVerifier;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;

/**
 * Checks the JWT on an app's call to Jira: HS256 with the tenant's shared secret, issued by the app (its key),
 * not expired, and with a {@code qsh} for exactly this method, path and query.
 */
final class AppJwtVerifier {

    private static final long LEEWAY_SECONDS = 30;

    private AppJwtVerifier() {
    }

    static JWTClaimsSet verify(String token, String sharedSecret, String appKey, String method, String path,
                               String rawQuery) {
        if (token == null) {
            throw unauthorized("Missing JWT: the app must sign its requests");
        }
        try {
            SignedJWT jwt = SignedJWT.parse(token);
            if (!JWSAlgorithm.HS256.equals(jwt.getHeader().getAlgorithm())) {
                throw unauthorized("JWT must be signed with HS256");
            }
            if (!jwt.verify(new MACVerifier(sharedSecret.getBytes(StandardCharsets.UTF_8)))) {
                throw unauthorized("JWT signature does not match");
            }
            JWTClaimsSet claims = jwt.getJWTClaimsSet();
            if (!appKey.equals(claims.getIssuer())) {
                throw unauthorized("JWT issuer is not the installed app");
            }
            Instant now = Instant.now();
            if (claims.getExpirationTime() == null
                    || claims.getExpirationTime().toInstant().plusSeconds(LEEWAY_SECONDS).isBefore(now)) {
                throw unauthorized("JWT expired");
            }
            if (claims.getIssueTime() != null
                    && claims.getIssueTime().toInstant().minusSeconds(LEEWAY_SECONDS).isAfter(now)) {
                throw unauthorized("JWT issued in the future");
            }
            String expected = ConnectJwts.qsh(method, rawQuery == null ? path : path + "?" + rawQuery);
            if (!expected.equals(claims.getStringClaim("qsh"))) {
                throw unauthorized("JWT query string hash does not match the request");
            }
            return claims;
        } catch (ParseException | JOSEException e) {
            throw unauthorized("Malformed JWT");
        }
    }

    private static JiraRequestException unauthorized(String message) {
        return new JiraRequestException(401, List.of(message), Map.of());
    }
}
