package com.triageassistant.store;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;

import javax.crypto.KeyGenerator;

/** A TDE master key for a test node, as the keytool command of docs/operations.md makes it. */
final class MasterKeystore {

    private MasterKeystore() {
    }

    /** A PKCS12 keystore with a 256-bit AES key under Ignite's default alias. */
    static void create(Path path, char[] password) throws GeneralSecurityException, IOException {
        KeyGenerator aes = KeyGenerator.getInstance("AES");
        aes.init(256);
        KeyStore store = KeyStore.getInstance("PKCS12");
        store.load(null, null);
        store.setEntry("ignite.master.key", new KeyStore.SecretKeyEntry(aes.generateKey()),
                new KeyStore.PasswordProtection(password));
        try (OutputStream out = Files.newOutputStream(path)) {
            store.store(out, password);
        }
    }
}
