package com.triageassistant.forge;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Calendar;
import java.util.Collections;
import java.util.List;
import java.util.Objects;

import com.atlassian.connect.spring.AddonAuthenticationType;
import com.atlassian.connect.spring.AddonInstalledEvent;
import com.atlassian.connect.spring.AtlassianHost;
import com.atlassian.connect.spring.internal.auth.frc.types.ForgeApiContext;
import com.atlassian.connect.spring.internal.auth.frc.types.ForgeInvocationToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.triageassistant.connect.IgniteAtlassianHostRepository;
import com.triageassistant.ingest.JiraAccessRestored;
import com.triageassistant.store.TenantLocks;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.stereotype.Component;

/**
 * Forge installations as tenants, in the same tables as Connect's. The tenant key is the installation id
 * ({@code app.installationId} of the invocation token): it names this app on this site, and a new installation after
 * an uninstall is a new tenant, as a Connect re-install after erasure is (see docs/forge.md for the alternatives).
 *
 * <p>Any verified invocation of an installation not yet known registers it (the {@code installed} event may have
 * been lost, or the site erased as gone and still there): the token holds everything a tenant needs.
 */
@Component
public class ForgeTenants {

    private static final Logger log = LoggerFactory.getLogger(ForgeTenants.class);
    private static final SecureRandom RANDOM = new SecureRandom();

    private final IgniteAtlassianHostRepository hosts;
    private final ForgeInstallations installations;
    private final ForgeAppTokens tokens;
    private final TenantLocks locks;
    private final ApplicationEventPublisher events;
    private final Clock clock;
    /**
     * What this node recorded lately, per installation: events arrive in bursts, and each would otherwise cost the
     * acknowledgement four reads and writes that change nothing. A new token is always recorded; the last
     * invocation's time is at most a minute old (and a twentieth of the time that makes a site gone).
     */
    private final Cache<String, Recorded> recorded;

    private record Recorded(String token) {
    }

    ForgeTenants(IgniteAtlassianHostRepository hosts,
                 ForgeInstallations installations, ForgeAppTokens tokens, TenantLocks locks,
                 ApplicationEventPublisher events, ForgeProperties props, Clock clock) {
        Duration recordEvery = Collections.min(List.of(Duration.ofMinutes(1), props.goneAfter().dividedBy(20),
                props.eraseAfter().dividedBy(20)));
        this.recorded = Caffeine.newBuilder().maximumSize(100_000).expireAfterWrite(recordEvery).build();
        this.hosts = hosts;
        this.installations = installations;
        this.tokens = tokens;
        this.locks = locks;
        this.events = events;
        this.clock = clock;
    }

    /** The tenant of a verified invocation, registered if new, with the invocation and its app token recorded. */
    public String accept(ForgeApiContext context) {
        ForgeInvocationToken fit = context.getForgeInvocationToken();
        String clientKey = fit.getApp().getInstallationId();
        String token = context.getAppToken().orElse(null);
        Recorded recorded = this.recorded.getIfPresent(clientKey);
        if (recorded != null && Objects.equals(recorded.token(), token)) {
            return clientKey; // this node wrote it all a moment ago
        }
        String apiBaseUrl = stripSlash(fit.getApp().getApiBaseUrl());
        String siteUrl = text(fit.getContext(), "siteUrl");
        Instant now = clock.instant();
        boolean registered = installations.insertIfAbsent(new ForgeInstallations.Installation(clientKey,
                text(fit.getContext(), "cloudId"), siteUrl, apiBaseUrl, null, null, null, null, now, now));
        if (!registered) {
            installations.invoked(clientKey, apiBaseUrl, siteUrl, now);
        }
        AtlassianHost created = createHostIfMissing(clientKey, fit, siteUrl);
        boolean restored = token != null && tokens.offer(clientKey, token);
        if (created != null) {
            log.info("Forge installation {} registered as a tenant", clientKey);
            events.publishEvent(new AddonInstalledEvent(this, created));
        } else if (restored) {
            events.publishEvent(new JiraAccessRestored(clientKey));
        }
        this.recorded.put(clientKey, new Recorded(token));
        return clientKey;
    }

    /**
     * The tenant row every feature reads, or null when it exists. Its shared secret is random and never leaves this
     * method: the tenant has no Connect side, so no Connect JWT naming it can ever verify.
     */
    private AtlassianHost createHostIfMissing(String clientKey, ForgeInvocationToken fit, String siteUrl) {
        if (hosts.findById(clientKey).filter(AtlassianHost::isAddonInstalled).isPresent()) {
            return null;
        }
        AtlassianHost host;
        locks.of(clientKey).lock();
        try {
            if (hosts.findCurrent(clientKey).filter(AtlassianHost::isAddonInstalled).isPresent()) {
                return null;
            }
            host = new AtlassianHost();
            host.setClientKey(clientKey);
            byte[] secret = new byte[32];
            RANDOM.nextBytes(secret);
            host.setSharedSecret(Base64.getUrlEncoder().withoutPadding().encodeToString(secret));
            host.setAuthentication(AddonAuthenticationType.OAUTH2);
            host.setBaseUrl(siteUrl != null ? stripSlash(siteUrl) : stripSlash(fit.getApp().getApiBaseUrl()));
            host.setDisplayUrl(host.getBaseUrl());
            host.setCloudId(text(fit.getContext(), "cloudId"));
            host.setInstallationId(clientKey);
            host.setProductType("jira");
            host.setDescription("Forge installation");
            host.setAddonInstalled(true);
            Calendar now = Calendar.getInstance();
            now.setTimeInMillis(clock.millis());
            host.setCreatedDate(now);
            hosts.save(host);
        } finally {
            locks.of(clientKey).unlock();
        }
        return host;
    }

    private static String text(JsonNode node, String field) {
        if (node == null) {
            return null;
        }
        JsonNode value = node.path(field);
        return value.isTextual() && !value.asText().isBlank() ? value.asText() : null;
    }

    private static String stripSlash(String url) {
        return url != null && url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    }
}
