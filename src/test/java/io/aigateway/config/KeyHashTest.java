package io.aigateway.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class KeyHashTest {

    /** SHA-256("abc"), from FIPS 180-2. */
    private static final String ABC_HEX = "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad";

    @Test
    void rawKeyIsHashedWithSha256OfItsUtf8Bytes() {
        assertEquals(ABC_HEX, KeyHash.ofRawKey("abc").hex());
    }

    @Test
    void rawAndHashedFormsOfOneKeyMatchAndAreEqual() {
        KeyHash raw = KeyHash.ofRawKey("abc");
        KeyHash hashed = KeyHash.parse("sha256:" + ABC_HEX);

        assertTrue(raw.matches(hashed));
        assertEquals(raw, hashed);
        assertEquals(raw.hashCode(), hashed.hashCode());
    }

    @Test
    void hexIsReadInEitherCase() {
        assertEquals(KeyHash.ofRawKey("abc"), KeyHash.parse("sha256:" + ABC_HEX.toUpperCase()));
    }

    @Test
    void differentKeysDoNotMatch() {
        assertFalse(KeyHash.ofRawKey("abc").matches(KeyHash.ofRawKey("abd")));
        assertNotEquals(KeyHash.ofRawKey("abc"), KeyHash.ofRawKey("abd"));
    }

    @Test
    void toStringShowsOnlyAShortPrefixOfTheHashAndNeverTheKey() {
        String key = "sk-very-secret-key";
        KeyHash hash = KeyHash.ofRawKey(key);

        String printed = hash.toString();

        assertEquals("sha256:" + hash.hex().substring(0, 8) + "…", printed);
        assertFalse(printed.contains(hash.hex()));
        assertFalse(printed.contains(key));
    }

    @ParameterizedTest
    @ValueSource(strings = {"sha256:", "sha256:abc", "sha256:" + ABC_HEX + "0", "sha256:" + ABC_HEX + " ",
            "SHA256:" + ABC_HEX, "sha256:zz7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad", ABC_HEX})
    void rejectsAnythingButSha256AndExactly64HexDigitsWithoutRepeatingIt(String text) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> KeyHash.parse(text));

        assertEquals("a hashed key must be 'sha256:' followed by 64 hex digits", e.getMessage());
    }
}
