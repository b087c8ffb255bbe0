package com.triageassistant.jira.emulator;

/**
 * One installation of a Forge app on a site, as the platform knows it.
 *
 * @param installationId     {@code ari:cloud:ecosystem::installation/<uuid>}; a reinstall gets a new one
 * @param cloudId            the site's cloud id
 * @param appVersion         bumped by each upgrade
 * @param environmentType    DEVELOPMENT, STAGING or PRODUCTION
 * @param installerAccountId the admin who installed it
 * @param appAccountId       the app's user on the site (the same account the Connect app acts as)
 * @param remoteBaseUrl      where the remotes are reached: overrides every remote's manifest baseUrl, since tests
 *                           run the app on a random port
 */
public record ForgeInstallation(String installationId, String cloudId, String siteUrl, ForgeManifest manifest,
                                String appVersion, String environmentType, String environmentId,
                                String installerAccountId, String appAccountId, String remoteBaseUrl) {

    public String appId() {
        return manifest.appId();
    }

    /** The context ARI lifecycle events name the site by. */
    public String contextAri() {
        return "ari:cloud:jira::site/" + cloudId;
    }

    /** The URL Forge POSTs to for an endpoint. */
    String url(ForgeManifest.Endpoint endpoint) {
        String base = remoteBaseUrl != null ? remoteBaseUrl : manifest.remotes().get(endpoint.remote());
        if (base == null) {
            throw new IllegalStateException("manifest has no remote " + endpoint.remote());
        }
        return (base.endsWith("/") ? base.substring(0, base.length() - 1) : base) + endpoint.path();
    }

    ForgeInstallation upgraded() {
        int major = Integer.parseInt(appVersion.substring(0, appVersion.indexOf('.')));
        return new ForgeInstallation(installationId, cloudId, siteUrl, manifest, (major + 1) + ".0.0",
                environmentType, environmentId, installerAccountId, appAccountId, remoteBaseUrl);
    }
}
