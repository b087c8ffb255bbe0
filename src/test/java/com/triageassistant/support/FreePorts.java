package com.triageassistant.support;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Loopback ports nobody listens on right now, for Ignite nodes that must not find each other by accident.
 *
 * <p>Taken below the kernel's ephemeral range: a port from that range (what {@code new ServerSocket(0)} gives) can
 * be handed to any outgoing connection while its owner is down, so an instance restarted on its fixed port (the
 * rolling-restart test) sometimes found it taken and could not start.
 *
 * <p>A port is handed out once per JVM: a free port is not bound until its node starts, so two picks in a row (two
 * nodes' discovery and communication ports) could otherwise name the same one, and the second node to start failed
 * to bind it (seen once in CI, {@code SchemaMigratorTest}).
 */
public final class FreePorts {

    private static final Path EPHEMERAL_RANGE = Path.of("/proc/sys/net/ipv4/ip_local_port_range");
    private static final int LOWEST = 10_000;
    /** Ports are the JVM's, so the record of those handed out is too. */
    private static final Set<Integer> HANDED_OUT = ConcurrentHashMap.newKeySet();

    private FreePorts() {
    }

    public static int next() {
        int below = ephemeralStart();
        for (int attempt = 0; attempt < 1_000; attempt++) {
            int port = ThreadLocalRandom.current().nextInt(LOWEST, below);
            if (!HANDED_OUT.add(port)) {
                continue;
            }
            try (ServerSocket socket = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
                return port;
            } catch (IOException taken) {
                // try another (this one stays recorded: someone else holds it)
            }
        }
        throw new IllegalStateException("no free loopback port in " + LOWEST + "-" + below);
    }

    private static int ephemeralStart() {
        try {
            // line by line: a single read of this /proc file returned only its first byte here
            int start = Integer.parseInt(Files.readAllLines(EPHEMERAL_RANGE).get(0).trim().split("\\s+")[0]);
            return start > LOWEST + 1_000 ? start : 32_768;
        } catch (IOException | RuntimeException e) {
            return 32_768; // Linux's default
        }
    }
}
