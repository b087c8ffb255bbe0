package com.triageassistant.ml;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.triageassistant.support.AppInstance;
import com.triageassistant.support.NodeSpec;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/** The sidecar's life with the app's: a missing Python does not stop the app, and closing the app leaves no Python. */
class SidecarLifecycleTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dataDir;

    AppInstance app;
    ListAppender<ILoggingEvent> supervisorLog;

    @AfterEach
    void stop() {
        if (app != null) {
            app.close();
        }
        if (supervisorLog != null) {
            ((Logger) LoggerFactory.getLogger(SidecarSupervisor.class)).detachAppender(supervisorLog);
        }
    }

    @Test
    void aMissingInterpreterLeavesTheAppHealthyAndTheSidecarDownWithTheReasonRetriedWithBackOff() throws Exception {
        app = AppInstance.start(NodeSpec.single(dataDir), Map.of(
                "triage.ml.python", dataDir.resolve("no-such-venv/bin/python").toString(),
                "triage.ml.restart-backoff-initial", "100ms",
                "triage.ml.restart-backoff-max", "800ms"));
        // After start-up: Boot's logging initialisation resets Logback's appenders.
        supervisorLog = new ListAppender<>();
        supervisorLog.start();
        ((Logger) LoggerFactory.getLogger(SidecarSupervisor.class)).addAppender(supervisorLog);

        JsonNode sidecar = await().atMost(Duration.ofSeconds(10)).until(() -> health().path("components").path("sidecar"),
                component -> component.path("details").path("state").asText().equals("DOWN"));
        assertThat(sidecar.path("status").asText()).isEqualTo("DEGRADED");
        assertThat(sidecar.path("details").path("lastError").asText())
                .contains("no-such-venv/bin/python does not exist").contains("triage.ml.python");
        assertThat(sidecar.path("details").has("nextAttempt")).isTrue();
        assertThat(app.get("/actuator/health/sidecar", null).statusCode()).isEqualTo(200);

        // Attempts thin out (100, 200, 400, 800, 800 ms...): one line each, at most 2-3 a second at the cap, and
        // none with a stack trace.
        await().pollDelay(Duration.ofSeconds(2)).until(() -> true);
        List<ILoggingEvent> lines = List.copyOf(supervisorLog.list);
        assertThat(lines).hasSizeBetween(1, 6).allSatisfy(line -> assertThat(line.getThrowableProxy()).isNull());
        assertThat(health().path("status").asText()).isEqualTo("UP");
    }

    @Test
    void closingTheAppLeavesNoPythonProcess() {
        app = AppInstance.start(NodeSpec.single(dataDir), Map.of());
        SidecarClient client = app.bean(SidecarClient.class);
        SidecarStatus up = await().atMost(Duration.ofSeconds(30)).until(client::status, SidecarStatus::isUp);
        ProcessHandle python = ProcessHandle.of(up.pid()).orElseThrow();
        assertThat(python.info().command()).hasValueSatisfying(command -> assertThat(command).contains("python"));

        app.close();
        app = null;

        assertThat(python.isAlive()).isFalse();
        assertThat(client.status().state()).isEqualTo(SidecarState.DOWN);
    }

    private JsonNode health() throws Exception {
        var response = app.get("/actuator/health", null);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return JSON.readTree(response.body());
    }
}
