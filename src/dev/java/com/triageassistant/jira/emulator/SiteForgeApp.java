package com.triageassistant.jira.emulator;

import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The Forge app on one site: its installation's lifecycle (installed and upgraded events; no event on uninstall,
 * as Forge sends none, FRGE-1246), the routing of Jira events to the manifest's triggers, and scheduled triggers.
 * Independent of the Connect app the site may also have.
 */
final class SiteForgeApp implements AutoCloseable {

    static final String INSTALLED = "avi:forge:installed:app";
    static final String UPGRADED = "avi:forge:upgraded:app";
    static final String TRIGGER = "core:trigger";
    static final String SCHEDULED_TRIGGER = "core:scheduledTrigger";

    /** Forge's scheduled trigger intervals. */
    private static final Map<String, Duration> INTERVALS = Map.of("fiveMinute", Duration.ofMinutes(5),
            "hour", Duration.ofHours(1), "day", Duration.ofDays(1), "week", Duration.ofDays(7));

    private final EmulatedSite site;
    private final String cloudId;
    private final Supplier<ForgePlatform> platform;
    private final ForgeInvoker invoker;
    private volatile ForgeInstallation installation;
    private ScheduledExecutorService timer;

    /** Created by the site it belongs to, which is still being constructed: only kept here, used later. */
    SiteForgeApp(EmulatedSite site, Supplier<ForgePlatform> platform, ForgeDeliveryPolicy policy,
                 WebhookFaults faults, Clock clock) {
        this.site = site;
        this.cloudId = site.cloudId();
        this.platform = platform;
        this.invoker = new ForgeInvoker(() -> installation, platform, policy, faults, clock);
    }

    Optional<ForgeInstallation> installation() {
        return Optional.ofNullable(installation);
    }

    ForgeInvoker invoker() {
        return invoker;
    }

    /** Registers a new installation with the platform, then sends {@code avi:forge:installed:app}. */
    synchronized ForgeInstallation install(ForgeManifest manifest, String remoteBaseUrl, String installerAccountId,
                                           String appAccountId) {
        if (installation != null) {
            throw new IllegalStateException("the Forge app is already installed on this site");
        }
        ForgeInstallation installed = new ForgeInstallation(
                "ari:cloud:ecosystem::installation/" + UUID.randomUUID(), cloudId, site.baseUrl(), manifest, "1.0.0",
                "DEVELOPMENT", UUID.randomUUID().toString(), installerAccountId, appAccountId, remoteBaseUrl);
        // Registered before the event goes out: the app may call Jira with the token while answering it.
        platform.get().register(installed, site);
        installation = installed;
        lifecycle(INSTALLED);
        return installed;
    }

    synchronized ForgeInstallation upgrade() {
        ForgeInstallation upgraded = requireInstallation().upgraded();
        installation = upgraded;
        platform.get().register(upgraded, site);
        lifecycle(UPGRADED);
        return upgraded;
    }

    /** Sends nothing; from now on nothing is sent and the installation's tokens are refused. */
    synchronized void uninstall() {
        ForgeInstallation removed = requireInstallation();
        stopScheduledTriggers();
        installation = null;
        platform.get().revoke(removed);
    }

    private void lifecycle(String eventType) {
        ForgeInstallation target = installation;
        ObjectNode body = JiraJson.MAPPER.createObjectNode().put("eventType", eventType)
                .put("id", target.installationId()).put("installerAccountId", target.installerAccountId());
        body.putObject("app").put("id", target.appId()).put("version", target.appVersion());
        body.putObject("environment").put("id", target.environmentId());
        body.put("context", target.contextAri());
        send(target, eventType, body);
    }

    /** A Jira event: one invocation per trigger that lists it, each with that trigger's context. */
    void event(String eventType, ObjectNode body) {
        ForgeInstallation target = installation;
        if (target != null) {
            send(target, eventType, body);
        }
    }

    private void send(ForgeInstallation target, String eventType, ObjectNode body) {
        for (ForgeManifest.Trigger trigger : target.manifest().triggers()) {
            if (trigger.events().contains(eventType)) {
                ObjectNode invocation = body.deepCopy();
                invocation.putObject("context").put("cloudId", cloudId).put("moduleKey", trigger.key());
                if (eventType.equals(INSTALLED) || eventType.equals(UPGRADED)) {
                    // Lifecycle events name the site by its ARI, not a context object.
                    invocation.put("context", target.contextAri());
                }
                invoker.invoke(target, eventType, target.manifest().requireEndpoint(trigger.endpoint()), TRIGGER,
                        trigger.key(), invocation);
            }
        }
    }

    /** Invokes every scheduled trigger once, now. */
    void runScheduledTriggers() {
        ForgeInstallation target = requireInstallation();
        for (ForgeManifest.ScheduledTrigger trigger : target.manifest().scheduledTriggers()) {
            runScheduledTrigger(target, trigger);
        }
    }

    private void runScheduledTrigger(ForgeInstallation target, ForgeManifest.ScheduledTrigger trigger) {
        ObjectNode body = JiraJson.MAPPER.createObjectNode();
        body.putObject("context").put("cloudId", cloudId).put("moduleKey", trigger.key());
        invoker.invoke(target, trigger.key(), target.manifest().requireEndpoint(trigger.endpoint()),
                SCHEDULED_TRIGGER, trigger.key(), body);
    }

    /**
     * Runs each scheduled trigger on a timer: at its manifest interval, or every {@code override} when not null
     * (the sandbox's shorter period).
     */
    synchronized void startScheduledTriggers(Duration override) {
        ForgeInstallation target = requireInstallation();
        stopScheduledTriggers();
        timer = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "jira-emulator-forge-scheduler");
            thread.setDaemon(true);
            return thread;
        });
        for (ForgeManifest.ScheduledTrigger trigger : target.manifest().scheduledTriggers()) {
            Duration every = override != null ? override
                    : INTERVALS.getOrDefault(trigger.interval(), Duration.ofHours(1));
            timer.scheduleAtFixedRate(() -> {
                ForgeInstallation now = installation;
                if (now != null) {
                    runScheduledTrigger(now, trigger);
                }
            }, every.toMillis(), every.toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    synchronized void stopScheduledTriggers() {
        if (timer != null) {
            timer.shutdownNow();
            timer = null;
        }
    }

    private ForgeInstallation requireInstallation() {
        ForgeInstallation current = installation;
        if (current == null) {
            throw new IllegalStateException("the Forge app is not installed on this site");
        }
        return current;
    }

    @Override
    public void close() {
        stopScheduledTriggers();
        invoker.close();
    }
}
