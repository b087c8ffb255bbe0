package com.triageassistant.ml;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

/**
 * The byte payloads of sidecar calls (datasets, artifacts, prediction batches) go to Python through memory, not
 * through Py4J. Py4J sends a {@code byte[]} as base64 text that it builds, copies and re-encodes several times on the
 * Java side: measured 42 ms for a 10,000-issue dataset (4.5 MB) and ~0.3 ms for 100 issues, against a memory copy on
 * each side here. A payload that fits goes into a free slot of {@value #SLOTS_FILE}, a file both sides map
 * ({@value #SLOTS} slots of {@value #SLOT_BYTES} bytes): creating, opening and deleting a file per call cost ~45 us
 * of a 100-issue prediction's ~1.5 ms. Larger ones (datasets, artifacts), or any when every slot is taken, go as a
 * file of their own. Python's {@code triage_ml.payloads} reads both. A prediction's answer comes back the same way:
 * Python writes it into the slot its issues came in (answering {@code slot:<index>:<length>}), into that slot's
 * overflow file {@code slot-<index>.answer} when it does not fit (explanations of 256 issues: ~330 KB), or over
 * their file (answering the file's path), so its JSON (~10 KB for 100 issues, ~1 MB for 10,000) is not escaped,
 * sent, decoded and unescaped character by character by Py4J's text protocol (which took ~40% of the serving
 * path's Java time at saturation while explanations overflowed their slot).
 *
 * <p>One directory per sidecar incarnation, readable by this user only, on {@code /dev/shm} (memory) when the
 * machine has it, so issue text does not reach a disk; otherwise in {@code java.io.tmpdir}. With TDE on, every
 * payload and answer is sealed ({@link PayloadCipher}). Java writes a payload
 * before the call and frees it when the call returns; Python only reads files of this directory (it is told
 * the directory in the handshake and refuses paths elsewhere). Closing the exchange deletes the directory; the
 * directories of JVMs that died without closing theirs (killed mid-call) are deleted by the next one that starts.
 */
final class PayloadExchange implements AutoCloseable {

    private static final Path MEMORY = Path.of("/dev/shm");
    private static final String PREFIX = "triage-sidecar-";
    static final String SLOTS_FILE = "slots.bin";
    private static final String SLOT_PREFIX = "slot:";
    static final int SLOTS = 8;
    /** Python's {@code payloads.SLOT_BYTES}: a batch of 256 issues with long descriptions fits. */
    static final int SLOT_BYTES = 256 * 1024;

    private final Path directory;
    private final AtomicLong next = new AtomicLong();
    private final MappedByteBuffer slots;
    private final BlockingQueue<Integer> freeSlots = new ArrayBlockingQueue<>(SLOTS);
    /** Null: payloads in clear (TDE off). */
    private final PayloadCipher cipher;

    private PayloadExchange(Path directory, MappedByteBuffer slots, PayloadCipher cipher) {
        this.directory = directory;
        this.slots = slots;
        this.cipher = cipher;
        for (int slot = 0; slot < SLOTS; slot++) {
            freeSlots.add(slot);
        }
    }

    static PayloadExchange create(long incarnation, PayloadCipher cipher) throws IOException {
        Path parent = Files.isDirectory(MEMORY) && Files.isWritable(MEMORY) ? MEMORY
                : Path.of(System.getProperty("java.io.tmpdir"));
        deleteOrphans(parent);
        long pid = ProcessHandle.current().pid();
        Path directory = Files.createTempDirectory(parent, PREFIX + pid + "-" + incarnation + "-",
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        try (FileChannel channel = FileChannel.open(directory.resolve(SLOTS_FILE), StandardOpenOption.CREATE_NEW,
                StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            // Written out before it is mapped, so a full /dev/shm fails this start with an IOException instead of
            // a call later, when the first write to a page nobody has allocated yet would fault.
            ByteBuffer zeros = ByteBuffer.allocate(SLOTS * SLOT_BYTES);
            while (zeros.hasRemaining()) {
                channel.write(zeros, zeros.position());
            }
            // The mapping outlives the channel.
            return new PayloadExchange(directory, channel.map(FileChannel.MapMode.READ_WRITE, 0,
                    (long) SLOTS * SLOT_BYTES), cipher);
        } catch (IOException | RuntimeException e) {
            new PayloadExchange(directory, null, null).close();
            throw e;
        }
    }

    /** Directories named after a JVM that is no longer running: what a killed app left behind. */
    private static void deleteOrphans(Path parent) {
        try (Stream<Path> entries = Files.list(parent)) {
            entries.filter(path -> path.getFileName().toString().startsWith(PREFIX))
                    .filter(path -> ownerPid(path) > 0 && ProcessHandle.of(ownerPid(path)).isEmpty())
                    .forEach(path -> new PayloadExchange(path, null, null).close());
        } catch (IOException e) {
            // Nothing to sweep, or not ours to sweep.
        }
    }

    private static long ownerPid(Path directory) {
        String[] parts = directory.getFileName().toString().substring(PREFIX.length()).split("-");
        try {
            return Long.parseLong(parts[0]);
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    Path directory() {
        return directory;
    }

    /** The key the sidecar needs to read and answer, base64; null when payloads go in clear. */
    String encodedKey() {
        return cipher == null ? null : cipher.encodedKey();
    }

    /** The payload of one call ({@code null}: none); close it once the call has returned. */
    Payload write(byte[] plain) {
        if (plain == null) {
            return new Payload(null, -1, null, () -> { });
        }
        byte[] bytes = cipher == null ? plain : cipher.seal(plain);
        Integer slot = bytes.length <= SLOT_BYTES ? freeSlots.poll() : null;
        if (slot != null) {
            slots.put(slot * SLOT_BYTES, bytes);
            return new Payload(slotName(slot) + bytes.length, slot, null, () -> freeSlots.add(slot));
        }
        Path file = directory.resolve(next.incrementAndGet() + ".bin");
        try {
            Files.write(file, bytes, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
        } catch (IOException e) {
            delete(file);
            throw new SidecarUnavailableException("cannot hand " + bytes.length + " bytes to the sidecar in "
                    + directory + ": " + e.getMessage(), e);
        }
        return new Payload(file.toString(), -1, file, () -> delete(file));
    }

    /** What {@code slot:<slot>:<length>} names: the text Python wrote into that slot (UTF-8). */
    private String slotText(int slot, String answer) {
        String name = slot >= 0 ? slotName(slot) : null;
        int length = name != null && answer.startsWith(name) ? length(answer, name.length()) : -1;
        if (length < 0 || length > SLOT_BYTES) {
            throw new SidecarException("the sidecar answered with " + answer + ", which is not within the slot of the"
                    + " call's payload (" + slot + ")", null);
        }
        byte[] bytes = new byte[length];
        slots.get(slot * SLOT_BYTES, bytes);
        return text(bytes);
    }

    private String text(byte[] written) {
        return new String(cipher == null ? written : cipher.open(written), StandardCharsets.UTF_8);
    }

    private static String slotName(int slot) {
        return SLOT_PREFIX + slot + ":";
    }

    /** Python's {@code payloads.overflow_name}: the answer of a slot's call that is too large for the slot. */
    private Path overflow(int slot) {
        return directory.resolve("slot-" + slot + ".answer");
    }

    /** The 1 to 9 digits that end {@code answer} from {@code start} on, or -1 (read on every prediction: no regex). */
    private static int length(String answer, int start) {
        int digits = answer.length() - start;
        if (digits < 1 || digits > 9) {
            return -1;
        }
        int value = 0;
        for (int i = start; i < answer.length(); i++) {
            char c = answer.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            value = value * 10 + (c - '0');
        }
        return value;
    }

    @Override
    public void close() {
        try (Stream<Path> files = Files.list(directory)) {
            files.forEach(PayloadExchange::delete);
        } catch (IOException e) {
            // Already gone.
        }
        delete(directory);
    }

    private static void delete(Path path) {
        try {
            Files.deleteIfExists(path);
        } catch (IOException e) {
            // Best effort: the directory goes when the incarnation ends.
        }
    }

    /**
     * Where a call's payload is, as the engine receives it ({@code slot:<index>:<length>} or a file's path; null for
     * no payload). Read the call's answer through {@link #answer}, then close it: that frees the slot or deletes the
     * file.
     */
    final class Payload implements AutoCloseable {

        private final String path;
        private final int slot;
        private final Path file;
        private final Runnable release;

        private Payload(String path, int slot, Path file, Runnable release) {
            this.path = path;
            this.slot = slot;
            this.file = file;
            this.release = release;
        }

        String path() {
            return path;
        }

        /**
         * The engine's answer to this payload's call: as it came, or, when it names this payload's slot
         * ({@code slot:<index>:<length>}), the slot's overflow file or the payload's file (their paths), the text
         * Python wrote there (UTF-8). An overflow file is deleted once read.
         */
        String answer(String answer) {
            if (answer == null || path == null) {
                return answer;
            }
            if (answer.startsWith(SLOT_PREFIX)) {
                return slotText(slot, answer);
            }
            Path written = slot >= 0 ? overflow(slot) : file;
            if (!answer.equals(written.toString())) {
                return answer;
            }
            try {
                return text(Files.readAllBytes(written));
            } catch (IOException e) {
                throw new SidecarException("the sidecar's answer in " + written + " is unreadable", e);
            } finally {
                if (slot >= 0) {
                    delete(written);
                }
            }
        }

        @Override
        public void close() {
            release.run();
        }
    }
}
