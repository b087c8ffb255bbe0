package com.triageassistant.store;

import java.util.concurrent.CompletableFuture;

import org.apache.ignite.Ignite;
import org.apache.ignite.resources.IgniteInstanceResource;
import org.apache.ignite.services.Service;

/**
 * The Ignite cluster-singleton service behind a {@link ClusterSingleton}: Ignite keeps exactly one deployed and
 * redeploys it on another node when its node leaves. It carries only the name; the work is the local bean that
 * node registered, waited for if the node is still starting.
 */
final class SingletonService implements Service {

    private static final long serialVersionUID = 1L;

    private final String name;
    @IgniteInstanceResource
    private transient Ignite ignite;
    private transient CompletableFuture<Void> cancelled;

    SingletonService(String name) {
        this.name = name;
    }

    static String registryName(String name) {
        return "singleton:" + name;
    }

    @Override
    public void init() {
        cancelled = new CompletableFuture<>();
    }

    @Override
    public void execute() throws Exception {
        CompletableFuture<Object> local = NodeLocalRegistry.of(ignite).slot(registryName(name));
        CompletableFuture.anyOf(local, cancelled).get();
        if (cancelled.isDone()) {
            return;
        }
        ClusterSingletons.Hosted task = (ClusterSingletons.Hosted) local.get();
        task.start();
        try {
            cancelled.get();
        } finally {
            task.stop();
        }
    }

    @Override
    public void cancel() {
        cancelled.complete(null);
    }
}
