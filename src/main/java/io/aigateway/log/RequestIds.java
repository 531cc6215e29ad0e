package io.aigateway.log;

import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Request ids: random version-4 UUIDs from {@link ThreadLocalRandom}. An id names a request in the log; it grants
 * nothing, so it needs no cryptographic randomness, and {@link UUID#randomUUID()} would make every request take the
 * one lock of the shared {@code SecureRandom}.
 */
public final class RequestIds {
    private RequestIds() {
    }

    public static String next() {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        long high = (random.nextLong() & ~0xF000L) | 0x4000L;                        // version 4
        long low = (random.nextLong() & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L;  // IETF variant
        return new UUID(high, low).toString();
    }
}
