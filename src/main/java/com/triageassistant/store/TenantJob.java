package com.triageassistant.store;

import java.time.Duration;
import java.util.concurrent.TimeoutException;

import org.apache.ignite.Ignite;
import org.apache.ignite.IgniteException;
import org.apache.ignite.lang.IgniteRunnable;
import org.apache.ignite.resources.IgniteInstanceResource;

/**
 * What travels to the tenant's node: the job's kind and key only. The executing node looks up its own handler and
 * reads the job's durable row, so a job re-mapped by Ignite's failover sees the row as it is now.
 */
final class TenantJob implements IgniteRunnable {

    private static final long serialVersionUID = 1L;
    /** A node that just joined may own tenants before its beans are up; the job waits for them this long. */
    private static final Duration HANDLER_WAIT = Duration.ofSeconds(30);

    private final String kind;
    private final String clientKey;
    private final String key;
    @IgniteInstanceResource
    private transient Ignite ignite;

    TenantJob(String kind, String clientKey, String key) {
        this.kind = kind;
        this.clientKey = clientKey;
        this.key = key;
    }

    static String registryName(String kind) {
        return "tenant-job:" + kind;
    }

    @Override
    public void run() {
        TenantJobHandler handler;
        try {
            handler = (TenantJobHandler) NodeLocalRegistry.of(ignite).await(registryName(kind), HANDLER_WAIT);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IgniteException("interrupted waiting for the " + kind + " handler", e);
        } catch (TimeoutException e) {
            throw new IgniteException("no " + kind + " handler on this node within " + HANDLER_WAIT);
        } catch (Exception e) {
            throw new IgniteException(e);
        }
        handler.run(clientKey, key);
    }
}
