package com.triageassistant.ml;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

/** Payloads: private, in a slot or a file, released after the call, and nothing of a killed JVM stays behind. */
class PayloadExchangeTest {

    @Test
    void payloadsAreOwnerOnlyAndDeletedAfterTheCallAndWithTheExchange() throws Exception {
        try (PayloadExchange exchange = PayloadExchange.create(1, null)) {
            Path directory = exchange.directory();
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(directory))).isEqualTo("rwx------");
            byte[] large = new byte[PayloadExchange.SLOT_BYTES + 1];
            large[large.length - 1] = 7;
            try (PayloadExchange.Payload payload = exchange.write(large)) {
                assertThat(Files.readAllBytes(Path.of(payload.path()))).isEqualTo(large);
                assertThat(Path.of(payload.path()).getParent()).isEqualTo(directory);
            }
            assertThat(files(directory)).containsExactly(PayloadExchange.SLOTS_FILE);
            assertThat(exchange.write(null).path()).isNull();
            exchange.write(large); // left open, as by a call in flight when the sidecar stops
            exchange.close();
            assertThat(directory).doesNotExist();
        }
    }

    @Test
    void smallPayloadsGoThroughSlotsAndFilesWhenEverySlotIsTaken() throws Exception {
        try (PayloadExchange exchange = PayloadExchange.create(1, null)) {
            Path slotsFile = exchange.directory().resolve(PayloadExchange.SLOTS_FILE);
            List<PayloadExchange.Payload> taken = new ArrayList<>();
            for (int i = 0; i < PayloadExchange.SLOTS; i++) {
                byte[] bytes = ("payload " + i).getBytes(StandardCharsets.UTF_8);
                PayloadExchange.Payload payload = exchange.write(bytes);
                assertThat(slotBytes(slotsFile, payload.path())).isEqualTo(bytes);
                taken.add(payload);
            }
            assertThat(taken).extracting(payload -> payload.path().split(":")[1]).doesNotHaveDuplicates();
            try (PayloadExchange.Payload overflow = exchange.write(new byte[] {1, 2, 3})) {
                assertThat(Files.readAllBytes(Path.of(overflow.path()))).containsExactly(1, 2, 3);
            }
            taken.remove(0).close();
            try (PayloadExchange.Payload reused = exchange.write(new byte[] {4, 5})) {
                assertThat(slotBytes(slotsFile, reused.path())).containsExactly(4, 5);
            }
            taken.forEach(PayloadExchange.Payload::close);
            assertThat(files(exchange.directory())).containsExactly(PayloadExchange.SLOTS_FILE);
        }
    }

    @Test
    void answersAreReadFromWherePythonWroteThemOverThePayload() throws Exception {
        try (PayloadExchange exchange = PayloadExchange.create(1, null);
             PayloadExchange.Payload small = exchange.write("{\"issues\": []}".getBytes(StandardCharsets.UTF_8));
             PayloadExchange.Payload other = exchange.write(new byte[] {1});
             PayloadExchange.Payload large = exchange.write(new byte[PayloadExchange.SLOT_BYTES + 1])) {
            String answer = "{\"predictions\": [\"é\"]}";
            byte[] utf8 = answer.getBytes(StandardCharsets.UTF_8);
            int slot = Integer.parseInt(small.path().split(":")[1]);
            try (FileChannel channel = FileChannel.open(exchange.directory().resolve(PayloadExchange.SLOTS_FILE),
                    StandardOpenOption.WRITE)) {
                channel.write(ByteBuffer.wrap(utf8), (long) slot * PayloadExchange.SLOT_BYTES);
            }
            assertThat(small.answer("slot:" + slot + ":" + utf8.length)).isEqualTo(answer);
            assertThat(small.answer(answer)).isEqualTo(answer);
            assertThatThrownBy(() -> small.answer(other.path().substring(0, other.path().lastIndexOf(':')) + ":1"))
                    .isInstanceOf(SidecarException.class).hasMessageContaining("not within the slot of the call's payload");
            assertThatThrownBy(() -> small.answer("slot:" + slot + ":" + (PayloadExchange.SLOT_BYTES + 1)))
                    .isInstanceOf(SidecarException.class);
            for (String length : List.of("x", "", "-1", "1x", "1234567890", "5:5")) {
                assertThatThrownBy(() -> small.answer("slot:" + slot + ":" + length))
                        .as(length).isInstanceOf(SidecarException.class);
            }
            assertThatThrownBy(() -> small.answer("slot:" + slot + "0:1")).isInstanceOf(SidecarException.class);

            // Too large for the slot: Python wrote it into the slot's overflow file, read once and deleted.
            Path overflow = exchange.directory().resolve("slot-" + slot + ".answer");
            Files.writeString(overflow, answer);
            assertThat(small.answer(overflow.toString())).isEqualTo(answer);
            assertThat(overflow).doesNotExist();
            int otherSlot = Integer.parseInt(other.path().split(":")[1]);
            Path othersOverflow = exchange.directory().resolve("slot-" + otherSlot + ".answer");
            Files.writeString(othersOverflow, "not this call's");
            assertThat(small.answer(othersOverflow.toString())).as("another slot's file is not this call's answer")
                    .isEqualTo(othersOverflow.toString());
            assertThat(othersOverflow).exists();

            Files.writeString(Path.of(large.path()), answer);
            assertThat(large.answer(large.path())).isEqualTo(answer);
            assertThatThrownBy(() -> large.answer("slot:0:1")).isInstanceOf(SidecarException.class);
        }
    }

    /** What Python reads for {@code slot:<index>:<length>}. */
    private static byte[] slotBytes(Path slotsFile, String path) throws Exception {
        String[] parts = path.split(":");
        assertThat(parts[0]).isEqualTo("slot");
        byte[] all = Files.readAllBytes(slotsFile);
        int from = Integer.parseInt(parts[1]) * PayloadExchange.SLOT_BYTES;
        return Arrays.copyOfRange(all, from, from + Integer.parseInt(parts[2]));
    }

    private static List<String> files(Path directory) throws Exception {
        try (Stream<Path> files = Files.list(directory)) {
            return files.map(file -> file.getFileName().toString()).toList();
        }
    }

    @Test
    void directoriesOfDeadJvmsAreSweptAndLiveOnesKept() throws Exception {
        try (PayloadExchange live = PayloadExchange.create(1, null)) {
            Path parent = live.directory().getParent();
            // No process has this id (above Linux's pid_max): a JVM that was killed mid-call.
            Path orphan = Files.createDirectory(parent.resolve("triage-sidecar-999999999-3-test"));
            Files.write(orphan.resolve("7.bin"), new byte[] {42});
            try (PayloadExchange next = PayloadExchange.create(2, null)) {
                assertThat(orphan).doesNotExist();
                assertThat(live.directory()).exists();
                assertThat(next.directory()).exists();
            }
        }
    }
}
