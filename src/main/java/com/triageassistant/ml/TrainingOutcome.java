package com.triageassistant.ml;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Arrays;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * What one {@code train} call gave: the result JSON (status, metrics, timings) and the artifact (empty unless the
 * status is {@code trained}).
 */
public record TrainingOutcome(JsonNode result, byte[] artifact) {

    /** The sidecar's frame: 4-byte big-endian length of the result JSON, the JSON, then the artifact bytes. */
    static TrainingOutcome parse(byte[] frame, ObjectMapper json) {
        if (frame == null || frame.length < 4) {
            throw new SidecarException("train answered a frame of " + (frame == null ? 0 : frame.length) + " bytes");
        }
        int length = ByteBuffer.wrap(frame, 0, 4).getInt();
        if (length < 0 || length > frame.length - 4) {
            throw new SidecarException("train frame announces " + length + " bytes of JSON in " + frame.length);
        }
        try {
            JsonNode result = json.readTree(frame, 4, length);
            return new TrainingOutcome(result, Arrays.copyOfRange(frame, 4 + length, frame.length));
        } catch (IOException e) {
            throw new SidecarException("train frame's result is not JSON", e);
        }
    }

    public boolean trained() {
        return "trained".equals(result.path("status").asText());
    }
}
