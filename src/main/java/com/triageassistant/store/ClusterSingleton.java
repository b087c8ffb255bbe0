package com.triageassistant.store;

/**
 * Work that must run on one node of the cluster at a time (schedules that would otherwise fire once per node).
 * {@link ClusterSingletons} starts it on the node Ignite chooses and starts it elsewhere when that node leaves.
 */
public interface ClusterSingleton {

    void start();

    /** Stops it here: the node leaves or shuts down. */
    void stop();
}
