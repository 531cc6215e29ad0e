package io.aigateway.store;

import io.aigateway.config.ConfigException;
import io.aigateway.config.StoreConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** The master key from the config or a file, and what sealing with it guarantees. */
class MasterKeyTest {
    private static final String KEY = Base64.getEncoder().encodeToString(new byte[32]);

    private static StoreConfig store(String masterKey) {
        return new StoreConfig(null, null, null, StoreConfig.DEFAULT_JNDI, masterKey);
    }

    @Test
    void sealedValuesOpenOnlyWithTheSameKeyAndDifferEachTime(@TempDir Path dir) throws Exception {
        SecretBox box = MasterKey.resolve(store(KEY));
        String sealed = box.seal("sk-secret");
        assertNotEquals(sealed, box.seal("sk-secret"), "a fresh nonce for every value");
        assertEquals("sk-secret", box.open(sealed));

        Path file = dir.resolve("master.key");
        Files.writeString(file, KEY + "\n");
        assertEquals("sk-secret", MasterKey.resolve(store("file:" + file)).open(sealed));

        byte[] other = new byte[32];
        other[0] = 1;
        assertThrows(IllegalArgumentException.class, () -> new SecretBox(other).open(sealed));
        String tampered = sealed.substring(0, sealed.length() - 2) + (sealed.endsWith("A=") ? "B=" : "A=");
        assertThrows(IllegalArgumentException.class, () -> box.open(tampered));
    }

    @Test
    void aMissingOrMalformedKeyIsReported() {
        assertNull(MasterKey.resolve(store(null)), "no key anywhere: nothing can be sealed");
        assertThrows(ConfigException.class, () -> MasterKey.resolve(store("too-short")));
        assertThrows(ConfigException.class, () -> MasterKey.resolve(store("file:/no/such/file")));
    }

    @Test
    void urlsArePrintedWithoutTheirParameters() {
        assertEquals("jdbc:mariadb://db:3306/gw", StoreDataSource.withoutSecrets("jdbc:mariadb://db:3306/gw?user=u&password=p"));
        assertEquals("jdbc:h2:file:/data/x", StoreDataSource.withoutSecrets("jdbc:h2:file:/data/x;PASSWORD=p"));
    }
}
