package com.triageassistant.operations;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import com.triageassistant.support.AppInstance;
import com.triageassistant.support.FreePorts;
import com.triageassistant.support.NodeSpec;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * With {@code management.server.port} the actuator endpoints move to their own port, and the operator token still
 * guards them there. A configured token file that cannot be read stops the app from starting.
 */
class ManagementPortTest {

    static final String TOKEN = "management-port-token-0123456789";

    @TempDir
    static Path dataDir;

    static AppInstance app;
    static String management;

    @BeforeAll
    static void start() throws Exception {
        Path tokenFile = Files.writeString(dataDir.resolve("token"), TOKEN + "\n");
        int port = FreePorts.next();
        management = "http://localhost:" + port;
        app = AppInstance.start(NodeSpec.single(dataDir.resolve("node")), Map.of(
                "management.server.port", String.valueOf(port),
                "triage.operations.token-file", tokenFile.toString(),
                "triage.ml.enabled", "false"));
    }

    @AfterAll
    static void stop() {
        if (app != null) {
            app.close();
        }
    }

    @Test
    void theTokenGuardsTheEndpointsOnTheManagementPortAndHealthStaysPublic() {
        assertThat(Scrape.get(management + "/actuator/prometheus", null).statusCode()).isEqualTo(401);
        assertThat(Scrape.get(management + "/actuator/prometheus", "Bearer wrong-token").statusCode()).isEqualTo(401);
        assertThat(Scrape.get(management + "/actuator/prometheus", "Bearer " + TOKEN).body())
                .contains("triage_events_acked_seconds_count");
        assertThat(Scrape.get(management + "/actuator/health", null).statusCode()).isEqualTo(200);
        // the app's port serves none of them any more
        assertThat(Scrape.get(app.url() + "/actuator/prometheus", "Bearer " + TOKEN).statusCode()).isNotEqualTo(200);
    }

    @Test
    void aTokenFileThatCannotBeReadStopsStartUpNamingTheSetting() {
        Path missing = dataDir.resolve("no-such-token");

        RuntimeException failure = AppInstance.failToStart(NodeSpec.single(dataDir.resolve("other")),
                Map.of("triage.operations.token-file", missing.toString(), "triage.ml.enabled", "false"));

        Throwable root = failure;
        while (root.getCause() != null && !(root instanceof IllegalStateException
                && root.getMessage().contains("token-file"))) {
            root = root.getCause();
        }
        assertThat(root).hasMessageContaining("triage.operations.token-file").hasMessageContaining(missing.toString());
    }
}
