package io.aigateway.routing.health;

import java.time.Instant;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A "no traffic until" instant that only moves later, shared by everything it covers: one deployment (its own
 * rate limit), an endpoint (connection failures), or a quota group (a 429 from one of its backends).
 */
final class Bench {
    private static final long NONE = Long.MIN_VALUE;

    private final String subject;
    private final AtomicLong until = new AtomicLong(NONE);

    /** @param subject what it covers, for events: a deployment id, an endpoint key or a quota group name */
    Bench(String subject) {
        this.subject = subject;
    }

    String subject() {
        return subject;
    }

    boolean activeAt(long now) {
        return now < until.get();
    }

    /** The end of the bench, or null when none was ever set or it was cleared. */
    Instant until() {
        long value = until.get();
        return value == NONE ? null : Instant.ofEpochMilli(value);
    }

    long untilMillis() {
        return until.get();
    }

    /**
     * Keeps the later of the current end and this one.
     *
     * @return whether this started a bench, rather than extending or leaving one that was already running
     */
    boolean extendTo(long untilMillis, long now) {
        while (true) {
            long current = until.get();
            if (current >= untilMillis)
                return false;
            if (until.compareAndSet(current, untilMillis))
                return current <= now;
        }
    }

    /** Lifts the bench: the network path answered after all. */
    void clear() {
        // Read first: a success finds nothing to clear almost every time, and a write would bounce the cache line.
        if (until.get() != NONE)
            until.set(NONE);
    }

    /** Milliseconds since the epoch, rounded up so that a bench never ends before the instant it was given. */
    static long ceilMillis(Instant instant) {
        long millis = instant.toEpochMilli();
        return instant.getNano() % 1_000_000 == 0 ? millis : millis + 1;
    }
}
