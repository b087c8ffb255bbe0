package com.triageassistant.store;

/** The local half of a {@link TenantCompute} job kind: runs on the node holding the tenant's primary copy. */
@FunctionalInterface
public interface TenantJobHandler {

    /** @param key which job of the tenant (e.g. project and target), as the dispatcher named it */
    void run(String clientKey, String key);
}
