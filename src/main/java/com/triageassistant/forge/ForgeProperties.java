package com.triageassistant.forge;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The Forge side of the app. The app id ({@code app.id}) and the JWKS URL
 * ({@code atlassian.connect.forge-invocation-token-jwks-url}) keep ACSB's names.
 *
 * @param jwksCacheTime      how long Forge's signing keys are used before they are fetched again (a token with an
 *                           unknown {@code kid} refreshes them at once, at most once per {@code jwksMinRefresh})
 * @param jwksMinRefresh     least time between two fetches of the keys, however many unknown keys arrive
 * @param jwksTimeout        connect and read time-out of a key fetch
 * @param tokenRenewMargin   an app token this close to its expiry counts as expired
 * @param assumedTokenLife   lifetime assumed for an app token whose expiry cannot be read
 * @param goneAfter          a site with no valid invocation for this long (the scheduled trigger calls hourly), or
 *                           whose latest token Jira refused, is reported gone (health)
 * @param eraseAfter         a site with no valid invocation for this long is treated as uninstalled: its data is
 *                           erased as an uninstall erases a Connect tenant's
 * @param sweepInterval      how often the cluster looks for gone sites
 */
@ConfigurationProperties("triage.forge")
public record ForgeProperties(
        @DefaultValue("15m") Duration jwksCacheTime,
        @DefaultValue("5s") Duration jwksMinRefresh,
        @DefaultValue("3s") Duration jwksTimeout,
        @DefaultValue("2m") Duration tokenRenewMargin,
        @DefaultValue("15m") Duration assumedTokenLife,
        @DefaultValue("6h") Duration goneAfter,
        @DefaultValue("3d") Duration eraseAfter,
        @DefaultValue("1h") Duration sweepInterval) {
}
