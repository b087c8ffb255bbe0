package com.triageassistant.store;

import org.apache.ignite.Ignite;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Runs {@link ClusterSingleton}s once per cluster, not once per node, as Ignite cluster-singleton services: every
 * node offers the work, Ignite picks one node to run it and moves it when that node leaves (a crash included).
 * Schedules such as scheduled retraining or reporting belong here; per-tenant work goes through
 * {@link TenantCompute} instead.
 */
@Component
public class ClusterSingletons {

    private static final Logger log = LoggerFactory.getLogger(ClusterSingletons.class);

    private final Ignite ignite;

    public ClusterSingletons(Ignite ignite) {
        this.ignite = ignite;
    }

    /** This node can run {@code task}; it starts here only if Ignite places the singleton here. */
    public void offer(String name, ClusterSingleton task) {
        NodeLocalRegistry.of(ignite).put(SingletonService.registryName(name), new Hosted(name, task));
        // Every node deploys the same service; Ignite keeps one. Asynchronous: deployment waits for topology changes
        // in flight, which must not hold up this node's start.
        ignite.services().deployClusterSingletonAsync(name, new SingletonService(name)).listen(deployed -> {
            try {
                deployed.get();
            } catch (RuntimeException e) {
                log.warn("Could not deploy cluster singleton {}: {}", name, e.toString());
            }
        });
    }

    /** This node shuts down: stop the task if it runs here; Ignite starts it elsewhere once the node has left. */
    public void withdraw(String name) {
        Object hosted = NodeLocalRegistry.of(ignite).remove(SingletonService.registryName(name));
        if (hosted instanceof Hosted task) {
            task.withdraw();
        }
    }

    /** The local task with its state: started at most once, never again once withdrawn. */
    static final class Hosted {

        private final String name;
        private final ClusterSingleton task;
        private boolean started;
        private boolean withdrawn;

        Hosted(String name, ClusterSingleton task) {
            this.name = name;
            this.task = task;
        }

        synchronized void start() {
            if (!started && !withdrawn) {
                log.info("Cluster singleton {} runs on this node", name);
                task.start();
                started = true;
            }
        }

        synchronized void stop() {
            if (started) {
                started = false;
                task.stop();
            }
        }

        synchronized void withdraw() {
            withdrawn = true;
            stop();
        }
    }
}
