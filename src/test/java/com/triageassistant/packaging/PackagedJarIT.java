package com.triageassistant.packaging;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import com.triageassistant.support.AppProcess;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The jar a user deploys starts with plain {@code java -jar}: no JVM flags, Ignite's opens come from the manifest. */
class PackagedJarIT {

    @TempDir
    Path workDir;

    @Test
    void plainJavaJarStartsHealthyServesTheDescriptorAndStopsCleanly() throws Exception {
        try (AppProcess app = new AppProcess(workDir, List.of("--addon.base-url=https://triage.example.com"))) {
            app.start();

            var health = app.get("/actuator/health");
            assertThat(health.body()).contains("\"status\":\"UP\"").contains("\"clusterState\":\"ACTIVE\"");
            var descriptor = app.get("/atlassian-connect.json");
            assertThat(descriptor.statusCode()).isEqualTo(200);
            assertThat(descriptor.body()).contains("\"baseUrl\": \"https://triage.example.com\"");

            assertThat(app.stop(Duration.ofSeconds(60))).as("stops on SIGTERM").isTrue();
            assertThat(app.logText()).doesNotContain("InaccessibleObjectException")
                    .doesNotContain("generated security password");
        }
    }
}
