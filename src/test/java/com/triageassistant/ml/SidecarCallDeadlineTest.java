package com.triageassistant.ml;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.time.Clock;
import java.time.Duration;
import java.util.List;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.triageassistant.support.SidecarProcesses;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Calls run on their callers' threads, so a wedged sidecar must not hold a caller beyond the call's time-out: the
 * real sidecar, frozen, with pings far apart so only the call's own deadline can notice.
 */
class SidecarCallDeadlineTest {

    private static final Duration PREDICT_TIMEOUT = Duration.ofSeconds(2);

    private SidecarSupervisor supervisor;
    private SidecarClient client;

    @BeforeEach
    void start() {
        SidecarProperties properties = new SidecarProperties(true, ".venv/bin/python",
                List.of("python", "target/py4j/python/py4j-src-0.10.9.7.zip"), Duration.ofSeconds(60),
                Duration.ofMinutes(10), Duration.ofSeconds(3), PREDICT_TIMEOUT, Duration.ofMinutes(10),
                Duration.ofSeconds(3), Duration.ofMillis(200), Duration.ofSeconds(2), false);
        supervisor = new SidecarSupervisor(properties, new ObjectMapper(), Clock.systemUTC());
        client = new SidecarClient(supervisor, properties, new ObjectMapper(),
                new SidecarMeters(supervisor, new SimpleMeterRegistry()));
        supervisor.start();
        awaitUp();
    }

    @AfterEach
    void stop() {
        supervisor.stop();
    }

    private SidecarStatus awaitUp() {
        return await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(50))
                .until(client::status, SidecarStatus::isUp);
    }

    @Test
    void aCallLeftUnansweredFailsAtItsDeadlineAndTheWedgedSidecarIsReplaced() {
        SidecarStatus before = client.status();
        assertThat(client.health().path("pid").asLong()).isEqualTo(before.pid());
        ProcessHandle frozen = SidecarProcesses.freeze(before.pid());

        long sent = System.nanoTime();
        assertThatThrownBy(client::health).isInstanceOf(SidecarUnavailableException.class)
                .hasMessageContaining("no answer").hasMessageContaining(PREDICT_TIMEOUT.toString());
        Duration waited = Duration.ofNanos(System.nanoTime() - sent);
        assertThat(waited).isGreaterThanOrEqualTo(PREDICT_TIMEOUT).isLessThan(PREDICT_TIMEOUT.plusSeconds(3));
        await().atMost(Duration.ofSeconds(5)).until(() -> !frozen.isAlive());

        SidecarStatus after = await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(50))
                .until(client::status, s -> s.isUp() && s.incarnation() > before.incarnation());
        assertThat(client.health().path("pid").asLong()).isEqualTo(after.pid()).isNotEqualTo(before.pid());
    }

    @Test
    void answeredCallsLeaveTheSidecarAlone() {
        SidecarStatus before = client.status();
        for (int i = 0; i < 200; i++) {
            client.health();
        }
        // Each answered call cancels its deadline: none fires later, long after the call.
        await().pollDelay(PREDICT_TIMEOUT.plusSeconds(1)).atMost(PREDICT_TIMEOUT.plusSeconds(2))
                .until(() -> true);
        assertThat(client.status().incarnation()).isEqualTo(before.incarnation());
        assertThat(ProcessHandle.of(before.pid()).map(ProcessHandle::isAlive)).contains(true);
    }
}
