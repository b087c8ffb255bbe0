package com.triageassistant.forge;

import java.net.MalformedURLException;
import java.net.URI;
import java.text.ParseException;
import java.util.Set;

import com.atlassian.connect.spring.internal.AtlassianConnectProperties;
import com.atlassian.connect.spring.internal.auth.frc.ForgeInvocationTokenValidator;
import com.atlassian.connect.spring.internal.auth.frc.types.ForgeInvocationToken;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.jwk.source.JWKSourceBuilder;
import com.nimbusds.jose.proc.BadJOSEException;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jose.util.DefaultResourceRetriever;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.proc.DefaultJWTClaimsVerifier;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.annotation.Primary;
import org.springframework.core.env.Environment;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ResponseStatusException;

/**
 * Verifies Forge Invocation Tokens in place of ACSB's validator, whose filter, decoding and {@code @ForgeRemote}
 * enforcement stay as they are. ACSB's own fetches the JWKS over HTTP for every token and logs each one; here the keys
 * are cached ({@code triage.forge.jwks-cache-time}) and fetched again at once, rate-limited, when a token names an
 * unknown {@code kid} (Forge rotated its keys). Beyond ACSB's {@code iss} and {@code aud} checks, a token must be
 * RS256, carry {@code exp} (not passed) and {@code iat}, honour {@code nbf}, and name its installation and API base URL.
 */
@Primary
@Component
public class ForgeInvocationTokenVerifier extends ForgeInvocationTokenValidator {

    static final String ISSUER = "forge/invocation-token";
    private static final int CLOCK_SKEW_SECONDS = 30;
    private static final Logger log = LoggerFactory.getLogger(ForgeInvocationTokenVerifier.class);

    private final DefaultJWTProcessor<SecurityContext> processor = new DefaultJWTProcessor<>();
    private final ObjectMapper claimsReader = JsonMapper.builder()
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES).build();

    public ForgeInvocationTokenVerifier(AtlassianConnectProperties connect, Environment environment, ForgeProperties props)
            throws MalformedURLException {
        super(connect, environment);
        String appId = environment.getProperty("app.id");
        int timeout = (int) props.jwksTimeout().toMillis();
        JWKSource<SecurityContext> keys = JWKSourceBuilder
                .create(URI.create(connect.getForgeInvocationTokenJwksUrl()).toURL(),
                        new DefaultResourceRetriever(timeout, timeout, 64 * 1024))
                .cache(props.jwksCacheTime().toMillis(), props.jwksTimeout().toMillis())
                .rateLimited(props.jwksMinRefresh().toMillis())
                .retrying(false)
                .build();
        processor.setJWSKeySelector(new JWSVerificationKeySelector<>(JWSAlgorithm.RS256, keys));
        DefaultJWTClaimsVerifier<SecurityContext> claims = new DefaultJWTClaimsVerifier<>(
                appId, new JWTClaimsSet.Builder().issuer(ISSUER).build(), Set.of("iss", "aud", "exp", "iat", "app"));
        claims.setMaxClockSkew(CLOCK_SKEW_SECONDS);
        processor.setJWTClaimsSetVerifier(claims);
    }

    /** The verified claims; 401 for anything else. The token never reaches a log, nor does its content. */
    @Override
    public JWTClaimsSet validate(String authorizationHeader, String ignoredAppId) {
        String token = getBearerToken(authorizationHeader);
        JWTClaimsSet claims;
        try {
            claims = processor.process(token, null);
        } catch (ParseException | BadJOSEException | JOSEException e) {
            log.debug("Refused a Forge invocation token: {}", e.getClass().getSimpleName());
            throw new ResponseStatusException(HttpStatus.UNAUTHORIZED, "Invalid Forge invocation token");
        }
        if (!(claims.getClaim("app") instanceof java.util.Map<?, ?> app)
                || !(app.get("installationId") instanceof String installation) || installation.isBlank()
                || !(app.get("apiBaseUrl") instanceof String apiBaseUrl) || !isHttpUrl(apiBaseUrl)) {
            throw new ResponseStatusException(HttpStatus.UNAUTHORIZED, "Forge invocation token names no installation");
        }
        return claims;
    }

    /** As ACSB's, with one configured mapper rather than a new {@code ObjectMapper} for every token. */
    @Override
    public ForgeInvocationToken decode(JWTClaimsSet claims) {
        try {
            return claimsReader.convertValue(claims.toJSONObject(), ForgeInvocationToken.class);
        } catch (IllegalArgumentException e) {
            throw new ResponseStatusException(HttpStatus.UNAUTHORIZED, "Invalid Forge invocation token claims");
        }
    }

    private static boolean isHttpUrl(String url) {
        try {
            URI uri = URI.create(url);
            return ("https".equals(uri.getScheme()) || "http".equals(uri.getScheme())) && uri.getHost() != null;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }
}
