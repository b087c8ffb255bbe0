package com.triageassistant.ml;

import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.HealthIndicator;
import org.springframework.boot.actuate.health.Status;
import org.springframework.stereotype.Component;

/**
 * The {@code sidecar} health component. The app serves webhooks, installs and stored suggestions without Python,
 * so a sidecar that is starting, restarting or down must not take the app out of a load balancer: it reports
 * {@code DEGRADED}, which {@code application.yml} ranks below {@code UP} in the aggregation order (so the overall
 * status stays UP) and maps to HTTP 200. Its details say what is going on. Reads the supervisor's last snapshot,
 * never calls Python.
 */
@Component
public class SidecarHealthIndicator implements HealthIndicator {

    static final Status DEGRADED = new Status("DEGRADED", "the ML sidecar is not up; suggestions are unavailable");

    private final SidecarSupervisor supervisor;

    public SidecarHealthIndicator(SidecarSupervisor supervisor) {
        this.supervisor = supervisor;
    }

    @Override
    public Health health() {
        SidecarStatus status = supervisor.status();
        Health.Builder health = status.isUp() ? Health.up() : Health.status(DEGRADED);
        health.withDetail("state", status.state().name())
                .withDetail("incarnation", status.incarnation())
                .withDetail("restarts", status.restarts())
                .withDetail("since", status.since().toString());
        if (status.lastError() != null) {
            health.withDetail("lastError", status.lastError());
        }
        if (status.pid() > 0) {
            health.withDetail("pid", status.pid());
        }
        if (status.versions() != null) {
            health.withDetail("python", String.valueOf(status.versions().python()))
                    .withDetail("sklearn", String.valueOf(status.versions().sklearn()))
                    .withDetail("numpy", String.valueOf(status.versions().numpy()));
        }
        if (status.rssBytes() >= 0) {
            health.withDetail("rssBytes", status.rssBytes()).withDetail("modelsLoaded", status.modelsLoaded());
        }
        if (status.nextAttempt() != null) {
            health.withDetail("nextAttempt", status.nextAttempt().toString());
        }
        return health.build();
    }
}
