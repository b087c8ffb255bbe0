package com.triageassistant.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** What the machine was doing when a benchmark printed its figures: they move with it on a shared host. */
final class HostLoad {

    private HostLoad() {
    }

    /** The one-minute load average ({@code /proc/loadavg}), or {@code unknown} where there is none. */
    static String loadAverage() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).split(" ")[0];
        } catch (IOException e) {
            return "unknown";
        }
    }
}
