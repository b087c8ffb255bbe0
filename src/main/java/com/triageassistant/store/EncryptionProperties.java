package com.triageassistant.store;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Ignite Transparent Data Encryption of the tenant tables (pages on disk and their WAL records), with the master key
 * read from a keystore. Every node of a cluster needs the same master key.
 *
 * <p>The password comes from configuration, never from an environment variable: Ignite would copy the environment
 * into node attributes that every other node can read (see stack.md). {@code keystorePasswordFile} suits mounted
 * secrets (Docker/Kubernetes); {@code keystorePassword} an {@code application.yml} readable only by the app's user.
 *
 * @param enabled              encrypt the tenant tables; only tables created while it is on are encrypted
 * @param keystorePath         PKCS12 (or JCEKS) keystore holding the AES master key
 * @param keystorePasswordFile a file whose content (trailing newline ignored) is the keystore password
 * @param keystorePassword     the keystore password itself, when no file is given
 * @param masterKeyName        the alias of the master key in the keystore
 */
@ConfigurationProperties("triage.ignite.encryption")
public record EncryptionProperties(
        @DefaultValue("false") boolean enabled,
        Path keystorePath,
        Path keystorePasswordFile,
        String keystorePassword,
        @DefaultValue("ignite.master.key") String masterKeyName) {

    public static EncryptionProperties off() {
        return new EncryptionProperties(false, null, null, null, "ignite.master.key");
    }

    /** The keystore password, read when the node starts; never logged. */
    char[] password() {
        if (keystorePasswordFile != null) {
            try {
                return Files.readString(keystorePasswordFile, StandardCharsets.UTF_8).stripTrailing().toCharArray();
            } catch (IOException e) {
                throw new IllegalStateException("Cannot read triage.ignite.encryption.keystore-password-file "
                        + keystorePasswordFile, e);
            }
        }
        if (keystorePassword == null || keystorePassword.isEmpty()) {
            throw new IllegalStateException("triage.ignite.encryption.enabled needs keystore-password-file or "
                    + "keystore-password");
        }
        return keystorePassword.toCharArray();
    }

    /** Keeps the password out of logs and failure analyses that print bound properties. */
    @Override
    public String toString() {
        return "EncryptionProperties[enabled=" + enabled + ", keystorePath=" + keystorePath
                + ", keystorePasswordFile=" + keystorePasswordFile + ", masterKeyName=" + masterKeyName + "]";
    }
}
