package com.triageassistant.forge;

import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.Optional;

import com.nimbusds.jwt.JWTParser;
import com.triageassistant.ingest.BearerCredentials;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * The app system tokens Forge hands over with its invocations ({@code x-forge-oauth-system}), kept per installation
 * with their expiry so background work (backfill, training, auto-apply, privacy reports) can call Jira between
 * invocations. Forge offers no refresh: the hourly scheduled trigger brings a new token. An expired, nearly expired
 * or refused token is never used; without a fresh one the caller backs off.
 */
@Component
public class ForgeAppTokens implements BearerCredentials {

    private static final Logger log = LoggerFactory.getLogger(ForgeAppTokens.class);
    private static final Duration INSTALL_SETTLING = Duration.ofMinutes(5);

    private final ForgeInstallations installations;
    private final ForgeProperties props;
    private final Clock clock;

    ForgeAppTokens(ForgeInstallations installations, ForgeProperties props, Clock clock) {
        this.installations = installations;
        this.props = props;
        this.clock = clock;
    }

    @Override
    public Optional<String> apiBaseUrl(String clientKey) {
        return installations.find(clientKey).map(ForgeInstallations.Installation::apiBaseUrl);
    }

    @Override
    public Optional<String> freshToken(String clientKey) {
        return installations.find(clientKey).filter(this::hasFreshToken).map(ForgeInstallations.Installation::appToken);
    }

    public boolean hasFreshToken(ForgeInstallations.Installation installation) {
        return installation.appToken() != null && !refused(installation)
                && installation.tokenExpiresAt() != null
                && installation.tokenExpiresAt().isAfter(clock.instant().plus(props.tokenRenewMargin()));
    }

    /**
     * Whether Jira refused the current token. Refusals in the first minutes after the install do not count: Atlassian
     * warns that the app's account may not have all its permissions when {@code installed} arrives ("Life cycle
     * events"), and the callers' back-off retries with the same token.
     */
    private static boolean refused(ForgeInstallations.Installation installation) {
        return installation.tokenRefusedAt() != null
                && installation.tokenRefusedAt().isAfter(installation.installedAt().plus(INSTALL_SETTLING));
    }

    @Override
    public void refused(String clientKey, String token) {
        if (installations.tokenRefused(clientKey, token, clock.instant())) {
            log.warn("Jira refused the app token of Forge installation {}; waiting for a new one", clientKey);
        }
    }

    /**
     * A token that came with a verified invocation.
     *
     * @return whether the tenant had no fresh token before and has one now
     */
    boolean offer(String clientKey, String token) {
        if (token == null || token.isBlank() || token.length() > 16 * 1024) {
            return false;
        }
        boolean hadOne = freshToken(clientKey).isPresent();
        installations.offerToken(clientKey, token, expiryOf(token));
        return !hadOne && freshToken(clientKey).isPresent();
    }

    /**
     * The token's own {@code exp} when it is a JWT (read, not verified: Jira verifies it; the app only needs to
     * know when to stop using it), else the assumed lifetime from now.
     */
    private Instant expiryOf(String token) {
        try {
            Date exp = JWTParser.parse(token).getJWTClaimsSet().getExpirationTime();
            if (exp != null) {
                return exp.toInstant();
            }
        } catch (ParseException | RuntimeException notAJwt) {
            // an opaque token
        }
        return clock.instant().plus(props.assumedTokenLife());
    }
}
