package com.triageassistant.operations;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;

import com.triageassistant.Sha256;

/**
 * The operator token, read once at start-up from {@code triage.operations.token-file}. Only its SHA-256 is kept,
 * and presented tokens are compared by digest in constant time: neither the token's length nor the position of
 * the first wrong character shows in how long a refusal takes. Rotating it takes a restart.
 */
final class OperatorToken {

    /** Shorter than this is no secret worth the name (a mistake such as an empty or placeholder file). */
    static final int MIN_LENGTH = 16;

    private final byte[] digest;

    private OperatorToken(byte[] digest) {
        this.digest = digest;
    }

    /** No file configured: no token matches. */
    static OperatorToken none() {
        return new OperatorToken(null);
    }

    /**
     * The token in {@code file}, without surrounding whitespace (files end with a newline).
     *
     * @throws IllegalStateException naming the file and the reason, never the content, when it cannot be used
     */
    static OperatorToken readFrom(Path file) {
        String token;
        try {
            token = Files.readString(file, StandardCharsets.UTF_8).strip();
        } catch (IOException | RuntimeException e) {
            throw new IllegalStateException("triage.operations.token-file " + file + " cannot be read ("
                    + e.getClass().getSimpleName() + "): the operator endpoints would be unusable", e);
        }
        if (token.length() < MIN_LENGTH || token.chars().anyMatch(Character::isWhitespace)) {
            throw new IllegalStateException("triage.operations.token-file " + file + " must hold one token of at least "
                    + MIN_LENGTH + " characters without spaces");
        }
        return new OperatorToken(digestOf(token));
    }

    boolean configured() {
        return digest != null;
    }

    boolean matches(String presented) {
        return digest != null && presented != null && MessageDigest.isEqual(digest, digestOf(presented));
    }

    private static byte[] digestOf(String token) {
        return Sha256.hex(token).getBytes(StandardCharsets.US_ASCII);
    }
}
