package io.aigateway.config;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * The SHA-256 of an API key: what the gateway keeps instead of the key, so that neither the config model, nor a
 * heap dump, nor a log line can give a key away.
 */
public final class KeyHash {

    /** The prefix of a key given in hashed form in the config file: {@code sha256:} and 64 hex digits. */
    public static final String PREFIX = "sha256:";

    private static final Pattern HEX_64 = Pattern.compile("[0-9a-fA-F]{64}");
    private static final HexFormat HEX = HexFormat.of();
    /** Enough to tell keys apart in a log, far too little to help guess one. */
    private static final int SHOWN_HEX_DIGITS = 8;

    private final byte[] sha256;

    private KeyHash(byte[] sha256) {
        this.sha256 = sha256;
    }

    /** Hashes a key as a client would send it (its UTF-8 bytes). */
    public static KeyHash ofRawKey(String key) {
        try {
            return new KeyHash(MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform must support SHA-256", e);
        }
    }

    /**
     * Reads {@code sha256:} followed by 64 hex digits (either case).
     *
     * @throws IllegalArgumentException if the text has another form; the message never repeats the text
     */
    public static KeyHash parse(String text) {
        if (!text.startsWith(PREFIX) || !HEX_64.matcher(text.substring(PREFIX.length())).matches()) {
            throw new IllegalArgumentException("a hashed key must be 'sha256:' followed by 64 hex digits");
        }
        return new KeyHash(HEX.parseHex(text.substring(PREFIX.length()).toLowerCase(Locale.ROOT)));
    }

    /** Compares in constant time, so that the time taken tells a caller nothing about how close a guess was. */
    public boolean matches(KeyHash other) {
        return MessageDigest.isEqual(sha256, other.sha256);
    }

    /** All 64 hex digits, lower case: the form to put in a config file or a store. */
    public String hex() {
        return HEX.formatHex(sha256);
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof KeyHash that && Arrays.equals(sha256, that.sha256);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(sha256);
    }

    /** Returns {@code sha256:} and only the first few hex digits followed by {@code …}, safe to log. */
    @Override
    public String toString() {
        return PREFIX + hex().substring(0, SHOWN_HEX_DIGITS) + "…";
    }
}
