package com.triageassistant.jira.emulator;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;

/**
 * A stateful stand-in for Jira Cloud: any number of sites, each with its own HTTP server, plus the install key
 * server that Atlassian runs ({@code connect-install-keys.atlassian.com}). Point the app's
 * {@code atlassian.connect.public-key-base-url} at {@link #keyServerUrl()}.
 */
public final class JiraEmulator implements AutoCloseable {

    private final InstallKeyServer keyServer;
    private final InstallKeyServer.SigningKey installKey;
    private final WebhookPolicy webhookPolicy;
    private final ForgeDeliveryPolicy forgePolicy;
    private final int forgePlatformPort;
    /** Started on first use: most tests never need Forge, and its RSA key takes a moment to make. */
    private ForgePlatform forge;
    private final Clock clock;
    private final List<EmulatedSite> sites = new ArrayList<>();

    public JiraEmulator() {
        this(WebhookPolicy.fast(), Clock.systemUTC());
    }

    public JiraEmulator(WebhookPolicy webhookPolicy, Clock clock) {
        this(webhookPolicy, clock, 0);
    }

    /** @param keyServerPort 0 for any free port */
    public JiraEmulator(WebhookPolicy webhookPolicy, Clock clock, int keyServerPort) {
        this(webhookPolicy, ForgeDeliveryPolicy.fast(), clock, keyServerPort, 0);
    }

    /**
     * @param keyServerPort     0 for any free port
     * @param forgePlatformPort the {@link ForgePlatform}'s port, 0 for any free one
     */
    public JiraEmulator(WebhookPolicy webhookPolicy, ForgeDeliveryPolicy forgePolicy, Clock clock, int keyServerPort,
                        int forgePlatformPort) {
        this.webhookPolicy = webhookPolicy;
        this.forgePolicy = forgePolicy;
        this.forgePlatformPort = forgePlatformPort;
        this.clock = clock;
        this.keyServer = new InstallKeyServer(keyServerPort);
        this.installKey = keyServer.issueKey();
    }

    public synchronized EmulatedSite createSite(String name) {
        return createSite(name, 0);
    }

    /** A site on a fixed loopback port (the sandbox's), or any free one for 0. */
    public synchronized EmulatedSite createSite(String name, int port) {
        EmulatedSite site = new EmulatedSite(name, installKey, webhookPolicy, clock, port, this::forge, forgePolicy);
        sites.add(site);
        return site;
    }

    public String keyServerUrl() {
        return keyServer.url();
    }

    /** The key sites sign lifecycle calls with (its public half is on the key server). */
    public InstallKeyServer.SigningKey installKey() {
        return installKey;
    }

    /**
     * Atlassian's Forge platform for every site of this emulator: point the app's
     * {@code atlassian.connect.forge-invocation-token-jwks-url} at its {@link ForgePlatform#jwksUrl()}.
     */
    public synchronized ForgePlatform forge() {
        if (forge == null) {
            forge = new ForgePlatform(forgePlatformPort, clock);
        }
        return forge;
    }

    @Override
    public synchronized void close() {
        sites.forEach(EmulatedSite::close);
        if (forge != null) {
            forge.close();
        }
        keyServer.close();
    }
}
