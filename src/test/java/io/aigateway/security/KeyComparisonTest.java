package io.aigateway.security;

import io.aigateway.config.ConfigLoader;
import io.aigateway.config.KeyHash;
import io.aigateway.registry.Registry;
import org.junit.jupiter.api.Test;

import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Why key lookup time says nothing about how much of a guessed key was right.
 *
 * <ol>
 *   <li>The raw key is hashed (SHA-256) before anything compares it: {@link Registry} has no method taking a raw key,
 *       only {@link KeyHash}. Hashing time depends on the key's length, not on its content or on any stored key.</li>
 *   <li>The lookup is a hash-map probe on the digest. Whether a guess shares a prefix (or a suffix) with a real key
 *       has no relation to how many digest bytes match, so the probe's timing cannot be steered byte by byte.</li>
 *   <li>A found entry is confirmed with {@link KeyHash#matches}, {@link java.security.MessageDigest#isEqual}: constant
 *       time over the 32 bytes.</li>
 * </ol>
 *
 * A timing measurement would be flaky; instead the test pins the properties the argument rests on, with guesses that
 * differ from a real key in the first and in the last character taking the same path (hash, probe, miss).
 */
class KeyComparisonTest {
    private static final String KEY = "sk-timing-0123456789abcdef";

    private static final Registry REGISTRY = Registry.of(new ConfigLoader(name -> null).parse("""
        tenants:
          - {name: team, keys: ["%s"], models: ["*"]}
        backends:
          - {name: oai, flavor: openai, endpoint: "http://127.0.0.1:1/v1", models: [gpt-4o]}
        """.formatted(KEY), "test"));

    @Test
    void registryLooksKeysUpOnlyByHash() {
        for (Method method : Registry.class.getDeclaredMethods()) {
            if (Modifier.isPublic(method.getModifiers()) && method.getName().toLowerCase().contains("key"))
                assertTrue(Arrays.stream(method.getParameterTypes()).noneMatch(type -> type == String.class || type == char[].class || type == byte[].class),
                    method + " takes a raw key");
        }
    }

    @Test
    void guessesWrongInTheFirstOrLastCharacterAreBothMissesOfTheSameKind() {
        KeyHash real = KeyHash.ofRawKey(KEY);
        KeyHash wrongFirst = KeyHash.ofRawKey("X" + KEY.substring(1));
        KeyHash wrongLast = KeyHash.ofRawKey(KEY.substring(0, KEY.length() - 1) + "X");
        assertNotNull(REGISTRY.tenantForKey(real));
        assertNull(REGISTRY.tenantForKey(wrongFirst));
        assertNull(REGISTRY.tenantForKey(wrongLast));
        // A near-miss key does not make a near-miss digest: neither guess shares leading digest bytes with the real one
        // beyond chance, so how far a byte-wise comparison would get is unrelated to the guess.
        assertTrue(commonPrefix(real.hex(), wrongFirst.hex()) < 4, wrongFirst.hex());
        assertTrue(commonPrefix(real.hex(), wrongLast.hex()) < 4, wrongLast.hex());
    }

    @Test
    void matchesComparesWholeDigests() {
        KeyHash real = KeyHash.ofRawKey(KEY);
        assertTrue(real.matches(KeyHash.ofRawKey(KEY)));
        assertTrue(real.matches(KeyHash.parse(KeyHash.PREFIX + real.hex())));
        assertFalse(real.matches(KeyHash.ofRawKey(KEY + " ")));
        assertFalse(real.matches(KeyHash.ofRawKey("")));
        assertEquals(64, real.hex().length());
    }

    private static int commonPrefix(String a, String b) {
        int i = 0;
        while (i < a.length() && a.charAt(i) == b.charAt(i))
            i++;
        return i;
    }
}
