package com.triageassistant.jira.emulator;

import java.nio.charset.StandardCharsets;
import java.security.interfaces.RSAPrivateKey;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.PlainJWT;
import com.nimbusds.jwt.SignedJWT;

/**
 * Mints Forge Invocation Tokens (FITs), the bearer token Forge puts on every call to a remote, with the claims of
 * Atlassian's Forge Remote contract. The platform uses it for genuine tokens; tests use the same builder to make
 * every kind of forged or tampered one (a key nobody publishes, an unknown kid, wrong aud or iss, expired, not yet
 * valid, {@code alg: none}, HS256 with a guessable secret, a claim removed), so an attack differs from a genuine
 * token in exactly one respect.
 */
public final class ForgeInvocationTokens {

    public static final String ISSUER = "forge/invocation-token";
    /** Forge Remote essentials shows a FIT expiring 25 s after it was issued. */
    public static final Duration DEFAULT_LIFETIME = Duration.ofSeconds(25);

    private ForgeInvocationTokens() {
    }

    public static Builder builder(Clock clock) {
        return new Builder(clock.instant());
    }

    /** The claims of one FIT, each settable, then signed (or deliberately not) in one of several ways. */
    public static final class Builder {

        private String issuer = ISSUER;
        private String audience;
        private Instant issuedAt;
        private Instant notBefore;
        private Instant expiresAt;
        private String jti = UUID.randomUUID().toString();
        private String appId;
        private String appVersion = "1.0.0";
        private String installationId;
        private String apiBaseUrl;
        private String environmentType = "DEVELOPMENT";
        private String environmentId = UUID.randomUUID().toString();
        private String moduleType;
        private String moduleKey;
        private String cloudId;
        private String siteUrl;
        private Map<String, Object> extension;
        private String principal;
        private final Map<String, Object> extra = new LinkedHashMap<>();
        private final Set<String> removed = new HashSet<>();

        private Builder(Instant now) {
            issuedAt = now;
            notBefore = now;
            expiresAt = now.plus(DEFAULT_LIFETIME);
        }

        /** The app's id; also the {@code aud} unless {@link #audience(String)} says otherwise. */
        public Builder appId(String appId) {
            this.appId = appId;
            return this;
        }

        public Builder audience(String audience) {
            this.audience = audience;
            return this;
        }

        public Builder issuer(String issuer) {
            this.issuer = issuer;
            return this;
        }

        /** Sets {@code iat} and {@code nbf} to this instant and {@code exp} to it plus {@code lifetime}. */
        public Builder issuedAt(Instant at, Duration lifetime) {
            issuedAt = at;
            notBefore = at;
            expiresAt = at.plus(lifetime);
            return this;
        }

        public Builder notBefore(Instant at) {
            notBefore = at;
            return this;
        }

        public Builder expiresAt(Instant at) {
            expiresAt = at;
            return this;
        }

        /** Issued ten minutes ago, expired five minutes ago. */
        public Builder expired() {
            return issuedAt(issuedAt.minus(Duration.ofMinutes(10)), DEFAULT_LIFETIME);
        }

        public Builder jti(String jti) {
            this.jti = jti;
            return this;
        }

        public Builder appVersion(String appVersion) {
            this.appVersion = appVersion;
            return this;
        }

        public Builder installationId(String installationId) {
            this.installationId = installationId;
            return this;
        }

        public Builder apiBaseUrl(String apiBaseUrl) {
            this.apiBaseUrl = apiBaseUrl;
            return this;
        }

        /** @param type DEVELOPMENT, STAGING or PRODUCTION */
        public Builder environment(String type, String id) {
            this.environmentType = type;
            this.environmentId = id;
            return this;
        }

        /** The module invoked, e.g. {@code core:trigger} / {@code issue-events}; also the context's moduleKey. */
        public Builder module(String type, String key) {
            this.moduleType = type;
            this.moduleKey = key;
            return this;
        }

        public Builder site(String cloudId, String siteUrl) {
            this.cloudId = cloudId;
            this.siteUrl = siteUrl;
            return this;
        }

        /** The UI extension's context (e.g. {@code {"type": "jira:issueContext", "issue": {...}}}); UI calls only. */
        public Builder extension(Map<String, Object> extension) {
            this.extension = extension;
            return this;
        }

        /** The person whose UI made the call; UI calls only, never events or scheduled triggers. */
        public Builder principal(String accountId) {
            this.principal = accountId;
            return this;
        }

        /** Adds or overrides a top-level claim. */
        public Builder claim(String name, Object value) {
            extra.put(name, value);
            removed.remove(name);
            return this;
        }

        /** Leaves a top-level claim out. */
        public Builder without(String name) {
            removed.add(name);
            return this;
        }

        public JWTClaimsSet claims() {
            Map<String, Object> environment = new LinkedHashMap<>();
            environment.put("type", environmentType);
            environment.put("id", environmentId);
            Map<String, Object> module = new LinkedHashMap<>();
            module.put("type", moduleType);
            module.put("key", moduleKey);
            Map<String, Object> app = new LinkedHashMap<>();
            app.put("id", appId);
            app.put("version", appVersion);
            app.put("installationId", installationId);
            app.put("apiBaseUrl", apiBaseUrl);
            app.put("environment", environment);
            app.put("module", module);
            Map<String, Object> context = new LinkedHashMap<>();
            context.put("cloudId", cloudId);
            context.put("siteUrl", siteUrl);
            context.put("moduleKey", moduleKey);
            if (extension != null) {
                context.put("extension", extension);
            }
            Map<String, Object> all = new LinkedHashMap<>();
            all.put("iss", issuer);
            all.put("aud", audience != null ? audience : appId);
            all.put("iat", Date.from(issuedAt));
            all.put("nbf", Date.from(notBefore));
            all.put("exp", Date.from(expiresAt));
            all.put("jti", jti);
            all.put("app", app);
            all.put("context", context);
            if (principal != null) {
                all.put("principal", principal);
            }
            all.putAll(extra);
            removed.forEach(all::remove);
            JWTClaimsSet.Builder claims = new JWTClaimsSet.Builder();
            all.forEach(claims::claim);
            return claims.build();
        }

        /** RS256 with this key, its kid in the header: genuine when the key is in the platform's JWKS. */
        public String signedWith(InstallKeyServer.SigningKey key) {
            return signedWith(key, key.kid());
        }

        /** RS256 with this key but another kid in the header (e.g. one the JWKS does not have). */
        public String signedWith(InstallKeyServer.SigningKey key, String kid) {
            try {
                SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(kid).build(), claims());
                jwt.sign(new RSASSASigner((RSAPrivateKey) key.pair().getPrivate()));
                return jwt.serialize();
            } catch (JOSEException e) {
                throw new IllegalStateException(e);
            }
        }

        /** HS256 with a secret of the attacker's choosing (at least 32 bytes, as HS256 needs). */
        public String hs256(String secret, String kid) {
            try {
                SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.HS256).keyID(kid).build(), claims());
                jwt.sign(new MACSigner(secret.getBytes(StandardCharsets.UTF_8)));
                return jwt.serialize();
            } catch (JOSEException e) {
                throw new IllegalStateException(e);
            }
        }

        /** {@code alg: none}, no signature: {@code header.payload.} */
        public String unsigned() {
            return new PlainJWT(claims()).serialize();
        }
    }
}
