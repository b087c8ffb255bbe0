package com.triageassistant.ml;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.event.Level;

/**
 * Forwards one output stream of the Python process, line by line, to the {@code sidecar} logger. The sidecar logs
 * {@code LEVEL logger: message} on one line per record, so the first word picks the level; other lines (a crash
 * before logging was set up) go out at the stream's default level.
 */
final class SidecarLogPump {

    static final Logger SIDECAR_LOG = LoggerFactory.getLogger("sidecar");
    private static final String PREFIX = "[sidecar] ";

    private SidecarLogPump() {
    }

    /** A daemon thread, so a Python that never closes its stream cannot keep the JVM alive. */
    static Thread start(InputStream stream, String name, Level defaultLevel) {
        Thread thread = new Thread(() -> pump(stream, defaultLevel), name);
        thread.setDaemon(true);
        thread.start();
        return thread;
    }

    private static void pump(InputStream stream, Level defaultLevel) {
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(stream, StandardCharsets.UTF_8))) {
            String line;
            while ((line = reader.readLine()) != null) {
                SIDECAR_LOG.atLevel(levelOf(line, defaultLevel)).log(PREFIX + line);
            }
        } catch (IOException e) {
            // The process is gone and its pipe with it: nothing more to forward.
        }
    }

    static Level levelOf(String line, Level defaultLevel) {
        int space = line.indexOf(' ');
        String word = space < 0 ? line : line.substring(0, space);
        return switch (word) {
            case "DEBUG" -> Level.DEBUG;
            case "INFO" -> Level.INFO;
            case "WARNING", "WARN" -> Level.WARN;
            case "ERROR", "CRITICAL", "FATAL" -> Level.ERROR;
            default -> defaultLevel;
        };
    }
}
