package com.triageassistant.connect;

import java.util.Optional;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;

import com.atlassian.connect.spring.AtlassianHost;
import com.triageassistant.store.TenantLocks;
import org.springframework.stereotype.Component;

/**
 * Writes that must not outlive a tenant's erasure: work already running when a site uninstalls (a backfill page, a
 * training job, a suggestion) would otherwise land after the erase and stay for good. The eraser takes the same
 * tenant lock, so a write either lands before it (and is erased) or finds the tenant gone.
 */
@Component
public class InstalledTenants {

    private final TenantLocks locks;
    private final IgniteAtlassianHostRepository hosts;

    InstalledTenants(TenantLocks locks, IgniteAtlassianHostRepository hosts) {
        this.locks = locks;
        this.hosts = hosts;
    }

    /** Runs {@code write} only while the tenant is installed; false when it was not run. */
    public boolean runWhileInstalled(String clientKey, Runnable write) {
        return whileInstalled(clientKey, () -> {
            write.run();
            return true;
        }).isPresent();
    }

    /** {@code write}'s result, or empty without running it when the tenant is not installed. */
    public <T> Optional<T> whileInstalled(String clientKey, Supplier<T> write) {
        ReentrantLock lock = locks.of(clientKey);
        lock.lock();
        try {
            boolean installed = hosts.findCurrent(clientKey).map(AtlassianHost::isAddonInstalled).orElse(false);
            return installed ? Optional.ofNullable(write.get()) : Optional.empty();
        } finally {
            lock.unlock();
        }
    }
}
