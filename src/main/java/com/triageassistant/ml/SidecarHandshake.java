package com.triageassistant.ml;

import java.util.concurrent.CompletableFuture;

/**
 * The Java entry point one sidecar process sees over Py4J: it only reports the port of its callback server, which
 * completes {@link #ready()}. Public because Py4J calls it by reflection.
 */
public final class SidecarHandshake {

    private final CompletableFuture<Integer> ready = new CompletableFuture<>();

    /** Called by Python once its callback server listens. */
    public void pythonReady(int callbackPort) {
        if (callbackPort <= 0 || callbackPort > 65_535) {
            ready.completeExceptionally(new IllegalArgumentException("callback port " + callbackPort));
            return;
        }
        ready.complete(callbackPort);
    }

    CompletableFuture<Integer> ready() {
        return ready;
    }
}
