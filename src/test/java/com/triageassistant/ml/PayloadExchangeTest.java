package com.triageassistant.ml;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

import org.junit.jupiter.api.Test;

/** Payload files: private, gone after the call, and nothing of a killed JVM stays behind. */
class PayloadExchangeTest {

    @Test
    void payloadsAreOwnerOnlyAndDeletedAfterTheCallAndWithTheExchange() throws Exception {
        try (PayloadExchange exchange = PayloadExchange.create(1)) {
            Path directory = exchange.directory();
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(directory))).isEqualTo("rwx------");
            try (PayloadExchange.Payload payload = exchange.write(new byte[] {1, 2, 3})) {
                assertThat(Files.readAllBytes(Path.of(payload.path()))).containsExactly(1, 2, 3);
                assertThat(Path.of(payload.path()).getParent()).isEqualTo(directory);
            }
            assertThat(directory).isEmptyDirectory();
            assertThat(exchange.write(null).path()).isNull();
            exchange.write(new byte[10]); // left open, as by a call in flight when the sidecar stops
            exchange.close();
            assertThat(directory).doesNotExist();
        }
    }

    @Test
    void directoriesOfDeadJvmsAreSweptAndLiveOnesKept() throws Exception {
        try (PayloadExchange live = PayloadExchange.create(1)) {
            Path parent = live.directory().getParent();
            // No process has this id (above Linux's pid_max): a JVM that was killed mid-call.
            Path orphan = Files.createDirectory(parent.resolve("triage-sidecar-999999999-3-test"));
            Files.write(orphan.resolve("7.bin"), new byte[] {42});
            try (PayloadExchange next = PayloadExchange.create(2)) {
                assertThat(orphan).doesNotExist();
                assertThat(live.directory()).exists();
                assertThat(next.directory()).exists();
            }
        }
    }
}
