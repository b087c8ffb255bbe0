package com.triageassistant.support;

import com.triageassistant.jira.emulator.InstallKeyServer;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.Map;

/** The app running against a Jira key server, with the signed lifecycle calls a Jira site makes. */
public final class ConnectFixture implements AutoCloseable {

    public static final String APP_KEY = "triage-assistant-for-jira";

    private final InstallKeyServer keyServer;
    private final InstallKeyServer.SigningKey jiraKey;
    private final AppInstance app;

    private ConnectFixture(InstallKeyServer keyServer, AppInstance app) {
        this.keyServer = keyServer;
        this.jiraKey = keyServer.issueKey();
        this.app = app;
    }

    public static ConnectFixture start(Path dataDir) {
        InstallKeyServer keyServer = new InstallKeyServer();
        return new ConnectFixture(keyServer, AppInstance.start(NodeSpec.single(dataDir),
                Map.of("atlassian.connect.public-key-base-url", keyServer.url())));
    }

    public AppInstance app() {
        return app;
    }

    public InstallKeyServer keyServer() {
        return keyServer;
    }

    /** The key Jira signs lifecycle calls with; its public half is on the key server. */
    public InstallKeyServer.SigningKey jiraKey() {
        return jiraKey;
    }

    public HttpResponse<String> install(JiraSite site) {
        return lifecycle(site, "installed");
    }

    public HttpResponse<String> uninstall(JiraSite site) {
        return lifecycle(site, "uninstalled");
    }

    /** A new site that installed the app successfully. */
    public JiraSite installed(String name) {
        JiraSite site = JiraSite.random(name);
        int status = install(site).statusCode();
        if (status != 204) {
            throw new AssertionError("install answered " + status);
        }
        return site;
    }

    private HttpResponse<String> lifecycle(JiraSite site, String event) {
        String path = "/" + event;
        return app.post(path, site.lifecycleToken(jiraKey, app.url(), path), site.lifecycleBody(event, APP_KEY));
    }

    @Override
    public void close() {
        app.close();
        keyServer.close();
    }
}
