package io.aigateway.store;

import io.aigateway.config.ConfigException;
import io.aigateway.config.StoreConfig;

import javax.naming.InitialContext;
import javax.naming.NamingException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;

/**
 * Finds the master key that seals backend keys: {@code store.master_key} (base64, or {@code file:/path} to a file
 * holding the base64), else the JNDI entry {@value #JNDI}. Kept outside the database so that a dump is useless.
 */
public final class MasterKey {
    /** The JNDI name tried when {@code store.master_key} is absent. */
    public static final String JNDI = "java:comp/env/aigateway/master_key";

    private MasterKey() {
    }

    /** The box sealing with the master key, or null when none is configured. */
    public static SecretBox resolve(StoreConfig store) {
        String text = store.masterKey();
        if (text == null) {
            text = jndi();
        }
        if (text == null || text.isBlank()) {
            return null;
        }
        if (text.startsWith("file:")) {
            try {
                text = Files.readString(Path.of(text.substring("file:".length()))).strip();
            } catch (IOException x) {
                throw new ConfigException("store.master_key", "cannot read the key file: " + x.getMessage());
            }
        }
        try {
            return new SecretBox(Base64.getDecoder().decode(text.strip()));
        } catch (IllegalArgumentException x) {
            throw new ConfigException("store.master_key",
                    "must be the base64 of 32 random bytes (openssl rand -base64 32)");
        }
    }

    private static String jndi() {
        try {
            return new InitialContext().lookup(JNDI) instanceof String value ? value : null;
        } catch (NamingException | RuntimeException x) {
            return null;
        }
    }
}
