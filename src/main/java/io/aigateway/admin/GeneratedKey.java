package io.aigateway.admin;

import io.aigateway.config.KeyHash;

import java.security.SecureRandom;
import java.util.Base64;

/**
 * A new gateway key: shown to the admin once, kept only as its hash and a short prefix that helps people tell keys
 * apart (far too short to guess the rest from).
 */
record GeneratedKey(String raw, KeyHash hash, String prefix) {
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final String SCHEME = "aigw-";
    private static final int PREFIX_LENGTH = SCHEME.length() + 6;

    static GeneratedKey create() {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        String raw = SCHEME + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
        return new GeneratedKey(raw, KeyHash.ofRawKey(raw), raw.substring(0, PREFIX_LENGTH));
    }

    @Override
    public String toString() {
        return "GeneratedKey[" + prefix + "…]";
    }
}
