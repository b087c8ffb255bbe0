package com.triageassistant.jira.emulator;

import java.time.Duration;

/**
 * Delivery misbehaviour on demand, as seen from Jira Cloud in the wild: duplicates, drops after sending (the app
 * got the request, Jira never saw the answer, so it retries), delays, and out-of-order bursts.
 */
public final class WebhookFaults {

    private int duplicates;
    private int drops;
    private Duration delay = Duration.ZERO;
    private boolean holding;

    /** The next {@code n} deliveries each also arrive a second time, same identifier. */
    public synchronized WebhookFaults duplicateNext(int n) {
        duplicates += n;
        return this;
    }

    /** The next {@code n} attempts are sent and then their connection is dropped before the answer. */
    public synchronized WebhookFaults dropNext(int n) {
        drops += n;
        return this;
    }

    /** Every delivery waits this long before its first attempt. */
    public synchronized WebhookFaults delay(Duration each) {
        delay = each;
        return this;
    }

    /** Deliveries queue up until {@link EmulatedSite#releaseHeldWebhooks(long)} sends them in shuffled order. */
    public synchronized WebhookFaults hold() {
        holding = true;
        return this;
    }

    public synchronized void clear() {
        duplicates = 0;
        drops = 0;
        delay = Duration.ZERO;
        holding = false;
    }

    synchronized boolean takeDuplicate() {
        if (duplicates > 0) {
            duplicates--;
            return true;
        }
        return false;
    }

    synchronized boolean takeDrop() {
        if (drops > 0) {
            drops--;
            return true;
        }
        return false;
    }

    synchronized Duration delay() {
        return delay;
    }

    synchronized boolean holding() {
        return holding;
    }

    synchronized void stopHolding() {
        holding = false;
    }
}
