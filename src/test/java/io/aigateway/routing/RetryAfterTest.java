package io.aigateway.routing;

import io.aigateway.testing.TestClock;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

class RetryAfterTest {
    private static final Duration CAP = Duration.ofSeconds(60);
    private final TestClock clock = new TestClock(Instant.parse("2026-01-01T00:00:00Z"));

    private static Function<String, String> headers(String... pairs) {
        Map<String, String> map = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        for (int i = 0; i < pairs.length; i += 2)
            map.put(pairs[i], pairs[i + 1]);
        return map::get;
    }

    @Test
    void theMostPreciseHeaderWins() {
        assertEquals(Duration.ofMillis(1500), RetryAfter.of(headers("retry-after-ms", "1500", "Retry-After", "9"), clock, CAP));
        assertEquals(Duration.ofMillis(250), RetryAfter.of(headers("x-ms-retry-after-ms", "250", "Retry-After", "9"), clock, CAP));
        assertEquals(Duration.ofSeconds(9), RetryAfter.of(headers("Retry-After", "9"), clock, CAP));
    }

    @Test
    void retryAfterMayBeAnHttpDate() {
        assertEquals(Duration.ofSeconds(30), RetryAfter.of(headers("Retry-After", "Thu, 01 Jan 2026 00:00:30 GMT"), clock, CAP));
    }

    @Test
    void theWaitIsCappedAndGarbageIsIgnored() {
        assertEquals(CAP, RetryAfter.of(headers("Retry-After", "3600"), clock, CAP));
        assertNull(RetryAfter.of(headers("Retry-After", "soon"), clock, CAP));
        assertNull(RetryAfter.of(headers(), clock, CAP));
    }

    @Test
    void aSpentRateLimitWindowRestsTheDeploymentUntilItResets() {
        assertEquals(Duration.ofSeconds(6), RetryAfter.exhaustedFor(headers("x-ratelimit-remaining-requests", "0",
            "x-ratelimit-reset-requests", "6s"), CAP));
        assertEquals(Duration.ofSeconds(45), RetryAfter.exhaustedFor(headers("x-ratelimit-remaining-tokens", "0",
            "x-ratelimit-reset-tokens", "0m45s"), CAP));
        assertEquals(CAP, RetryAfter.exhaustedFor(headers("x-ratelimit-remaining-tokens", "0",
            "x-ratelimit-reset-tokens", "6m0s"), CAP), "capped by routing.max_retry_after");
        assertEquals(Duration.ofMillis(1500), RetryAfter.exhaustedFor(headers("x-ratelimit-remaining-requests", "0",
            "x-ratelimit-reset-requests", "1.5s"), CAP));
        assertNull(RetryAfter.exhaustedFor(headers("x-ratelimit-remaining-requests", "12", "x-ratelimit-reset-requests", "6s"), CAP));
    }

    @Test
    void goDurationsParse() {
        assertEquals(Duration.ofMillis(20), RetryAfter.goDuration("20ms"));
        assertEquals(Duration.ofSeconds(3723), RetryAfter.goDuration("1h2m3s"));
        assertNull(RetryAfter.goDuration("later"));
    }
}
