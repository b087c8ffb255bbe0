package com.triageassistant.jira.emulator;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;

import com.sun.net.httpserver.HttpServer;

/** The JDK HTTP server on a free loopback port, with Nagle's algorithm off. */
final class LoopbackHttpServer {

    static {
        // Headers and body go out in two writes; with Nagle on, each small answer waits ~40 ms for a delayed ACK.
        // The JDK server reads this once, when its configuration class loads.
        System.setProperty("sun.net.httpserver.nodelay", "true");
    }

    private LoopbackHttpServer() {
    }

    static HttpServer create() {
        return create(0);
    }

    /** @param port 0 for any free port */
    static HttpServer create(int port) {
        try {
            return HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 128);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
