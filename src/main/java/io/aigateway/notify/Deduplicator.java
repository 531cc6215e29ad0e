package io.aigateway.notify;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Lets one notification per key through per interval: during an outage the first "circuit opened" is sent and the
 * next ones, until the interval has passed, are not.
 */
final class Deduplicator {
    // Keys are events × subjects of the config, so this stays small; pruned anyway past this size.
    private static final int PRUNE_ABOVE = 10_000;

    private final Clock clock;
    private final Duration minInterval;
    private final Map<String, Instant> lastSent = new ConcurrentHashMap<>();

    Deduplicator(Clock clock, Duration minInterval) {
        this.clock = clock;
        this.minInterval = minInterval;
    }

    /** Whether a notification with this key may go now; if so, the interval starts again from now. */
    boolean admit(String key) {
        Instant now = clock.instant();
        boolean[] admitted = {false};
        lastSent.compute(key, (k, last) -> {
            if (last == null || !now.isBefore(last.plus(minInterval))) {
                admitted[0] = true;
                return now;
            }
            return last;
        });
        if (admitted[0] && lastSent.size() > PRUNE_ABOVE) {
            lastSent.values().removeIf(last -> !now.isBefore(last.plus(minInterval)));
        }
        return admitted[0];
    }
}
