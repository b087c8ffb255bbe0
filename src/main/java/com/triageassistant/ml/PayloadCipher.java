package com.triageassistant.ml;

import java.nio.ByteBuffer;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import java.util.concurrent.atomic.AtomicLong;

import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * With TDE on, issue text must not lie in clear in the payload files either ({@code /dev/shm} is swappable, and
 * a killed app's directory stays until the next start): each payload and answer is sealed with AES-256-GCM under a
 * key of the sidecar incarnation, which only the two processes hold (it travels in the stdin handshake). Nonces
 * are counters, Java's and Python's ({@code triage_ml.payloads}) apart by their first four bytes, so none repeats
 * under a key. A sealed payload is {@code nonce(12) | ciphertext | tag(16)}.
 */
final class PayloadCipher {

    static final int OVERHEAD = 12 + 16;
    private static final int TAG_BITS = 128;
    private static final int JAVA_NONCE_PREFIX = 0;

    private final SecretKeySpec key;
    private final AtomicLong counter = new AtomicLong();

    private PayloadCipher(byte[] key) {
        this.key = new SecretKeySpec(key, "AES");
    }

    /** A fresh key, or none when payloads go in clear. */
    static PayloadCipher create(boolean encrypt) {
        if (!encrypt) {
            return null;
        }
        byte[] key = new byte[32];
        new SecureRandom().nextBytes(key);
        return new PayloadCipher(key);
    }

    /** The key for the handshake, base64 (standard alphabet: no JSON escaping needed). */
    String encodedKey() {
        return Base64.getEncoder().encodeToString(key.getEncoded());
    }

    byte[] seal(byte[] plain) {
        byte[] nonce = ByteBuffer.allocate(12).putInt(JAVA_NONCE_PREFIX).putLong(counter.incrementAndGet()).array();
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, nonce));
            byte[] sealed = Arrays.copyOf(nonce, OVERHEAD + plain.length);
            cipher.doFinal(plain, 0, plain.length, sealed, nonce.length);
            return sealed;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM unavailable", e);
        }
    }

    byte[] open(byte[] sealed) {
        if (sealed.length < OVERHEAD) {
            throw new SidecarException("the sidecar's sealed answer is truncated", null);
        }
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, sealed, 0, 12));
            return cipher.doFinal(sealed, 12, sealed.length - 12);
        } catch (AEADBadTagException e) {
            throw new SidecarException("the sidecar's sealed answer does not authenticate", null);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM unavailable", e);
        }
    }
}
