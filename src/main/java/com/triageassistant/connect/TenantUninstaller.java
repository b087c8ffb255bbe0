package com.triageassistant.connect;

import com.atlassian.connect.spring.AddonUninstalledEvent;
import com.atlassian.connect.spring.AtlassianHost;
import com.triageassistant.store.TenantDataEraser;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.ContextClosedEvent;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/**
 * Erases a tenant's data once Jira reports the app uninstalled. ACSB answers the lifecycle call first and
 * publishes the event afterwards, so a crash in between leaves the host row marked uninstalled; start-up
 * finishes those erasures.
 */
@Component
public class TenantUninstaller {

    private static final Logger log = LoggerFactory.getLogger(TenantUninstaller.class);

    private final IgniteAtlassianHostRepository hosts;
    private final TenantDataEraser eraser;
    private volatile boolean closing;

    public TenantUninstaller(IgniteAtlassianHostRepository hosts, TenantDataEraser eraser) {
        this.hosts = hosts;
        this.eraser = eraser;
    }

    @EventListener
    public void onUninstalled(AddonUninstalledEvent event) {
        try {
            eraseIfStillUninstalled(event.getHost().getClientKey());
        } catch (RuntimeException e) {
            if (!closing) {
                throw e;
            }
            log.info("Erasure of tenant {} stopped by the shutdown; the next start finishes it",
                    event.getHost().getClientKey());
        }
    }

    /** Published before anything stops: an erasure running on ACSB's executor may lose its store under it. */
    @EventListener(ContextClosedEvent.class)
    public void onClosing() {
        closing = true;
    }

    @EventListener(ApplicationReadyEvent.class)
    public void finishInterruptedErasures() {
        for (AtlassianHost host : hosts.findAll()) {
            if (!host.isAddonInstalled()) {
                eraseIfStillUninstalled(host.getClientKey());
            }
        }
    }

    private void eraseIfStillUninstalled(String clientKey) {
        // A re-install that raced ahead of this event must keep its fresh tenant row.
        boolean reinstalled = hosts.findCurrent(clientKey).map(AtlassianHost::isAddonInstalled).orElse(false);
        if (reinstalled) {
            log.info("Tenant {} was re-installed before its data was erased; keeping it", clientKey);
            return;
        }
        log.info("Erasing all data of uninstalled tenant {}", clientKey);
        eraser.erase(clientKey);
        hosts.forget(clientKey);
    }
}
