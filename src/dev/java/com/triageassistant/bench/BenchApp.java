package com.triageassistant.bench;

import java.nio.file.Path;

import com.triageassistant.TriageAssistantApplication;
import com.triageassistant.support.FreePorts;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

/** The whole app in the benchmark's JVM, with native persistence under a fresh directory, on free ports. */
final class BenchApp {

    private BenchApp() {
    }

    static ConfigurableApplicationContext start(Path dataDir, String keyServerUrl) {
        int discovery = FreePorts.next();
        return new SpringApplicationBuilder(TriageAssistantApplication.class).run(
                "--server.port=0",
                "--addon.base-url=http://localhost:${local.server.port}",
                "--atlassian.connect.public-key-base-url=" + keyServerUrl,
                "--triage.ignite.consistent-id=bench",
                "--triage.ignite.work-dir=" + dataDir.resolve("ignite"),
                "--triage.ignite.discovery-port=" + discovery,
                "--triage.ignite.discovery-port-range=0",
                "--triage.ignite.discovery-addresses=127.0.0.1:" + discovery,
                "--triage.ignite.communication-port=" + FreePorts.next(),
                "--logging.level.root=warn");
    }

    static String url(ConfigurableApplicationContext app) {
        return "http://localhost:" + ((WebServerApplicationContext) app).getWebServer().getPort();
    }

}
