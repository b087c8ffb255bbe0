package com.triageassistant.ingest;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

import jakarta.servlet.http.HttpServletRequest;

/** A request body read no further than one byte past a limit, so an oversized delivery costs no more than that. */
public final class LimitedBody {

    private LimitedBody() {
    }

    /** The body as text, or null if it is larger than {@code maxBytes}. */
    public static String read(HttpServletRequest request, long maxBytes) throws IOException {
        if (request.getContentLengthLong() > maxBytes) {
            return null;
        }
        try (InputStream in = request.getInputStream()) {
            byte[] bytes = in.readNBytes((int) maxBytes + 1);
            return bytes.length > maxBytes ? null : new String(bytes, StandardCharsets.UTF_8);
        }
    }
}
