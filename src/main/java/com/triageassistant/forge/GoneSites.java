package com.triageassistant.forge;

import java.time.Clock;
import java.time.Instant;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

import com.atlassian.connect.spring.AddonUninstalledEvent;
import com.atlassian.connect.spring.AtlassianHost;
import com.triageassistant.connect.IgniteAtlassianHostRepository;
import com.triageassistant.store.TenantPlacement;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.SmartLifecycle;
import org.springframework.scheduling.concurrent.CustomizableThreadFactory;
import org.springframework.stereotype.Component;

/**
 * Forge sends no uninstall event (FRGE-1246), so a site that uninstalled the app only falls silent: no event, no
 * hourly scheduled trigger, and its last token refused by Jira. A Forge tenant with no valid invocation for
 * {@code triage.forge.erase-after} is uninstalled here: its host row marked so, and the same erasure a Connect
 * uninstall gets ({@code TenantUninstaller}, which also finishes an erasure a crash interrupted). Each node sweeps the
 * tenants whose primary copy it holds.
 */
@Component
class GoneSites implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(GoneSites.class);

    private final ForgeInstallations installations;
    private final IgniteAtlassianHostRepository hosts;
    private final TenantPlacement placement;
    private final ApplicationEventPublisher events;
    private final ForgeProperties props;
    private final Clock clock;
    private ScheduledThreadPoolExecutor timer;

    GoneSites(ForgeInstallations installations, IgniteAtlassianHostRepository hosts, TenantPlacement placement,
              ApplicationEventPublisher events, ForgeProperties props, Clock clock) {
        this.installations = installations;
        this.hosts = hosts;
        this.placement = placement;
        this.events = events;
        this.props = props;
        this.clock = clock;
    }

    @Override
    public synchronized void start() {
        timer = new ScheduledThreadPoolExecutor(1, new CustomizableThreadFactory("forge-gone-sites-"));
        timer.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
        long interval = props.sweepInterval().toMillis();
        timer.scheduleWithFixedDelay(this::sweep, interval, interval, TimeUnit.MILLISECONDS);
    }

    /** Whether a site looks uninstalled: silent for {@code gone-after}, or its latest token refused by Jira. */
    boolean gone(ForgeInstallations.Installation installation) {
        return installation.lastInvokedAt().isBefore(clock.instant().minus(props.goneAfter()))
                || installation.tokenRefusedAt() != null && installation.tokenRefusedAt()
                .isAfter(installation.lastInvokedAt());
    }

    void sweep() {
        try {
            Instant silentSince = clock.instant().minus(props.eraseAfter());
            installations.all().stream()
                    .filter(installation -> installation.lastInvokedAt().isBefore(silentSince))
                    .map(ForgeInstallations.Installation::clientKey)
                    .filter(placement::isLocal)
                    .forEach(this::uninstall);
        } catch (RuntimeException e) {
            log.warn("Looking for gone Forge sites failed; trying again at the next sweep", e);
        }
    }

    private void uninstall(String clientKey) {
        AtlassianHost host = hosts.findCurrent(clientKey).orElse(null);
        if (host == null) {
            return;
        }
        log.info("Forge installation {} has been silent for more than {}: treating it as uninstalled", clientKey,
                props.eraseAfter());
        host.setAddonInstalled(false);
        hosts.save(host);
        events.publishEvent(new AddonUninstalledEvent(this, host));
    }

    @Override
    public synchronized void stop() {
        if (timer != null) {
            timer.shutdownNow();
            timer = null;
        }
    }

    @Override
    public synchronized boolean isRunning() {
        return timer != null;
    }
}
