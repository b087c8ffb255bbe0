package com.triageassistant.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Map;

import com.triageassistant.support.AppInstance;
import com.triageassistant.support.NodeSpec;
import org.apache.ignite.Ignite;
import org.apache.ignite.Ignition;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StoreHealthTest {

    @TempDir
    Path dataDir;

    AppInstance app;

    @AfterEach
    void stop() {
        if (app != null) {
            app.close();
        }
    }

    @Test
    void healthIsPublicAndShowsTheActiveNodeWhichIsTheOnlyOneInTheProcess() {
        NodeSpec node = NodeSpec.single(dataDir);
        app = AppInstance.start(node, Map.of());

        var health = app.get("/actuator/health", null);

        assertThat(health.statusCode()).isEqualTo(200);
        assertThat(health.body()).contains("\"ignite\":{\"status\":\"UP\"")
                .contains("\"clusterState\":\"ACTIVE\"")
                .contains("\"node\":\"" + node.consistentId() + "\"");
        // ACSB turns caching on; a JCache provider would have been a second, default-configured Ignite node.
        assertThat(Ignition.allGrids()).extracting(Ignite::name).containsExactly(node.consistentId());
    }

    @Test
    void stoppedNodeMakesHealthDownWhileTheAppKeepsAnswering() {
        NodeSpec node = NodeSpec.single(dataDir);
        app = AppInstance.start(node, Map.of());

        // What Ignite's failure handler does on a critical failure such as a full disk.
        Ignition.stop(node.consistentId(), true);

        var health = app.get("/actuator/health", null);
        assertThat(health.statusCode()).isEqualTo(503);
        assertThat(health.body()).contains("\"ignite\":{\"status\":\"DOWN\"");
        assertThat(app.get("/atlassian-connect.json", null).statusCode()).isEqualTo(200);
    }
}
