package com.triageassistant.ml;

import java.time.Instant;

/**
 * A snapshot of the supervised sidecar, published by {@link SidecarSupervisor} for health and callers.
 *
 * @param incarnation  bumped at every start; 0 before the first
 * @param restarts     sidecars lost (died or hung) and replaced since the app started
 * @param lastError    why the last sidecar was lost or the last start failed (null if never)
 * @param pid          the running Python process, -1 when none
 * @param versions     Python and library versions as the running sidecar reported them (null when none)
 * @param rssBytes     resident memory of the sidecar at its last ping, -1 when unknown
 * @param nextAttempt  when the next start is due while not up (null otherwise)
 */
public record SidecarStatus(SidecarState state, long incarnation, int restarts, String lastError, long pid,
                            Versions versions, long rssBytes, int modelsLoaded, Instant since,
                            Instant nextAttempt) {

    /** What {@code health()} says about the sidecar's software. */
    public record Versions(String python, String sklearn, String numpy) {
    }

    static SidecarStatus initial(Instant now) {
        return new SidecarStatus(SidecarState.STARTING, 0, 0, null, -1, null, -1, 0, now, null);
    }

    SidecarStatus up(long newIncarnation, long newPid, Versions newVersions, long rss, int models, Instant now) {
        return new SidecarStatus(SidecarState.UP, newIncarnation, restarts, lastError, newPid, newVersions, rss,
                models, now, null);
    }

    SidecarStatus pinged(long rss, int models) {
        return new SidecarStatus(state, incarnation, restarts, lastError, pid, versions, rss, models, since,
                nextAttempt);
    }

    SidecarStatus lost(String reason, Instant now, Instant next) {
        return new SidecarStatus(SidecarState.RESTARTING, incarnation, restarts + 1, reason, -1, null, -1, 0, now,
                next);
    }

    SidecarStatus restarting(Instant now) {
        return new SidecarStatus(state == SidecarState.STARTING ? SidecarState.STARTING : SidecarState.RESTARTING,
                incarnation, restarts, lastError, -1, null, -1, 0, now, null);
    }

    SidecarStatus down(String reason, Instant now, Instant next) {
        return new SidecarStatus(SidecarState.DOWN, incarnation, restarts, reason, -1, null, -1, 0, now, next);
    }

    public boolean isUp() {
        return state == SidecarState.UP;
    }
}
