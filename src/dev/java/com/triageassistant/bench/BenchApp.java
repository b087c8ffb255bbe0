package com.triageassistant.bench;

import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;

import com.triageassistant.TriageAssistantApplication;
import com.triageassistant.jira.emulator.EmulatedSite;
import com.triageassistant.jira.emulator.JiraEmulator;
import com.triageassistant.jira.generator.GeneratorConfig;
import com.triageassistant.jira.generator.ProjectGenerator;
import com.triageassistant.ml.ModelRegistry;
import com.triageassistant.support.EmulatorTrust;
import com.triageassistant.support.FreePorts;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

/** The whole app in the benchmark's JVM, with native persistence under a fresh directory, on free ports. */
final class BenchApp {

    private BenchApp() {
    }

    /** The app trusting the emulator's install keys and, for Forge, its platform's keys and the manifest's app id. */
    static ConfigurableApplicationContext start(Path dataDir, JiraEmulator jira) {
        int discovery = FreePorts.next();
        Map<String, String> properties = EmulatorTrust.properties(jira, Map.of(
                "server.port", "0",
                "addon.base-url", "http://localhost:${local.server.port}",
                "triage.ignite.consistent-id", "bench",
                "triage.ignite.work-dir", dataDir.resolve("ignite").toString(),
                "triage.ignite.discovery-port", String.valueOf(discovery),
                "triage.ignite.discovery-port-range", "0",
                "triage.ignite.discovery-addresses", "127.0.0.1:" + discovery,
                "triage.ignite.communication-port", String.valueOf(FreePorts.next()),
                "logging.level.root", "warn"));
        return new SpringApplicationBuilder(TriageAssistantApplication.class).run(properties.entrySet().stream()
                .map(property -> "--" + property.getKey() + "=" + property.getValue()).toArray(String[]::new));
    }

    static String url(ConfigurableApplicationContext app) {
        return "http://localhost:" + ((WebServerApplicationContext) app).getWebServer().getPort();
    }

    /**
     * A site with one generated project of {@code issues} issues, installed in the app, once the app has backfilled
     * it and trained all four targets' models.
     */
    static EmulatedSite trainedSite(JiraEmulator jira, ConfigurableApplicationContext app, String projectKey,
                                    int issues) throws InterruptedException {
        EmulatedSite site = jira.createSite(projectKey.toLowerCase(Locale.ROOT));
        site.load(new ProjectGenerator(GeneratorConfig.defaults(3, projectKey).withIssueCount(issues)).generate());
        if (site.install(url(app)) != 204) {
            throw new IllegalStateException("install failed");
        }
        ModelRegistry registry = app.getBean(ModelRegistry.class);
        while (registry.activeModels(site.clientKey(), projectKey).size() < 4) {
            Thread.sleep(500);
        }
        return site;
    }

}
