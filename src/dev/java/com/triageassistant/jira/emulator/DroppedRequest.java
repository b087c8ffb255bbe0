package com.triageassistant.jira.emulator;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;

/**
 * An HTTP POST written in full over a raw socket and then abandoned before the answer: the receiver got the
 * request, the sender never learns the outcome and so retries. Shared by webhook and Forge event delivery faults.
 */
final class DroppedRequest {

    private DroppedRequest() {
    }

    /** Always throws: from the sender's side the attempt failed without an answer. */
    static int send(URI uri, Map<String, String> headers, String body, Duration connectTimeout) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        StringBuilder head = new StringBuilder()
                .append("POST ").append(uri.getRawPath()).append(uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery())
                .append(" HTTP/1.1\r\nHost: ").append(uri.getHost()).append(':').append(uri.getPort());
        headers.forEach((name, value) -> head.append("\r\n").append(name).append(": ").append(value));
        head.append("\r\nContent-Length: ").append(bytes.length).append("\r\nConnection: close\r\n\r\n");
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(uri.getHost(), uri.getPort()), (int) connectTimeout.toMillis());
            OutputStream out = socket.getOutputStream();
            out.write(head.toString().getBytes(StandardCharsets.US_ASCII));
            out.write(bytes);
            out.flush();
        }
        throw new IOException("connection dropped by the emulator after sending");
    }
}
