package io.aigateway.limits;

import io.aigateway.testing.TestClock;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The in-process limiter, with time moved by a test clock. */
class LocalLimitStoreTest {
    private final TestClock clock = new TestClock(Instant.parse("2026-01-01T00:00:00Z"));
    private final LocalLimitStore store = new LocalLimitStore(clock);
    private final Limit rpm60 = new Limit(Scope.TENANT, "team", Limit.Kind.REQUESTS, 60);
    private final Limit tpm1000 = new Limit(Scope.TENANT, "team", Limit.Kind.TOKENS, 1000);
    private final Limit twoAtOnce = new Limit(Scope.TENANT, "team", Limit.Kind.CONCURRENCY, 2);

    private boolean take(Limit limit, long amount) {
        return store.acquireNow(List.of(new Charge(limit, amount))).admitted();
    }

    @Test
    void shouldAdmitAFullMinuteAtOnceThenRefuse() {
        for (int i = 0; i < 60; i++)
            assertTrue(take(rpm60, 1), "request " + i);
        Decision refused = store.acquireNow(List.of(new Charge(rpm60, 1)));
        assertFalse(refused.admitted());
        assertEquals(rpm60, refused.refusedBy());
        assertEquals(1000, refused.retryAfterMillis());
    }

    @Test
    void shouldGiveBackOneRequestPerIntervalWithoutADoubleBurstAtTheMinuteBoundary() {
        for (int i = 0; i < 60; i++)
            take(rpm60, 1);
        clock.advance(Duration.ofMillis(999));
        assertFalse(take(rpm60, 1), "not a second yet");
        clock.advance(Duration.ofMillis(1));
        assertTrue(take(rpm60, 1));
        assertFalse(take(rpm60, 1));
        // A window-counting limiter would allow another 60 at the next minute: GCRA allows only what came back.
        clock.advance(Duration.ofSeconds(59));
        int admitted = 0;
        while (take(rpm60, 1))
            admitted++;
        assertEquals(59, admitted);
    }

    @Test
    void shouldReportRemainingAndResetOfEachLimit() {
        Decision decision = store.acquireNow(List.of(new Charge(rpm60, 1), new Charge(tpm1000, 250)));
        assertTrue(decision.admitted());
        assertEquals(new LimitState(rpm60, 59, 1000), decision.states().get(0));
        assertEquals(new LimitState(tpm1000, 750, 15000), decision.states().get(1));
    }

    @Test
    void shouldTakeEveryChargeOrNone() {
        assertTrue(take(tpm1000, 900));
        Decision refused = store.acquireNow(List.of(new Charge(rpm60, 1), new Charge(tpm1000, 200)));
        assertFalse(refused.admitted());
        assertEquals(tpm1000, refused.refusedBy());
        // The request limit was not charged by the refused decision.
        Decision next = store.acquireNow(List.of(new Charge(rpm60, 1)));
        assertEquals(59, next.states().get(0).remaining());
    }

    @Test
    void shouldGiveBackTokensSettledBelowTheReservation() {
        assertTrue(take(tpm1000, 1000));
        assertFalse(take(tpm1000, 100));
        store.settle(List.of(new Charge(tpm1000, -600)));
        assertTrue(take(tpm1000, 600));
        assertFalse(take(tpm1000, 1));
    }

    @Test
    void shouldChargeTokensSettledAboveTheReservation() {
        assertTrue(take(tpm1000, 100));
        store.settle(List.of(new Charge(tpm1000, 900)));
        assertFalse(take(tpm1000, 1));
    }

    @Test
    void shouldAdmitAChargeLargerThanTheWholeLimitOnlyIntoAnEmptyWindow() {
        assertTrue(take(tpm1000, 5000));
        assertFalse(take(tpm1000, 5000));
        clock.advance(Duration.ofMinutes(1));
        assertTrue(take(tpm1000, 5000));
    }

    @Test
    void shouldRefuseConcurrencyBeyondTheLimitAtOnceAndAdmitAfterARelease() {
        assertTrue(take(twoAtOnce, 1));
        assertTrue(take(twoAtOnce, 1));
        assertFalse(take(twoAtOnce, 1));
        store.settle(List.of(new Charge(twoAtOnce, -1)));
        assertTrue(take(twoAtOnce, 1));
    }

    @Test
    void reservationSettlesOnceAndReleasesConcurrency() {
        List<Charge> charges = List.of(new Charge(twoAtOnce, 1), new Charge(tpm1000, 500));
        Reservation reservation = new Reservation(store, charges, store.acquireNow(charges));
        reservation.settle(100);
        reservation.settle(100);
        Decision after = store.acquireNow(List.of(new Charge(twoAtOnce, 1), new Charge(tpm1000, 0)));
        assertEquals(1, after.states().get(0).remaining());
        assertEquals(900, after.states().get(1).remaining());
    }

    @Test
    void headersNameTheTightestLimitOfEachKindInOpenAiStyle() {
        Limit keyRpm = new Limit(Scope.KEY, "team/k", Limit.Kind.REQUESTS, 10);
        Decision decision = store.acquireNow(List.of(new Charge(rpm60, 1), new Charge(keyRpm, 1), new Charge(tpm1000, 100)));
        var headers = RateLimitHeaders.of(decision.states());
        assertEquals("10", headers.get("x-ratelimit-limit-requests"));
        assertEquals("9", headers.get("x-ratelimit-remaining-requests"));
        assertEquals("6s", headers.get("x-ratelimit-reset-requests"));
        assertEquals("1000", headers.get("x-ratelimit-limit-tokens"));
        assertEquals("900", headers.get("x-ratelimit-remaining-tokens"));
        assertEquals("6s", headers.get("x-ratelimit-reset-tokens"));
        assertEquals("6m0s", RateLimitHeaders.duration(360_000));
        assertEquals("1.5s", RateLimitHeaders.duration(1500));
        assertEquals("20ms", RateLimitHeaders.duration(20));
    }

    @Test
    void stateBackToEmptyIsDroppedButLimitsInUseAreKept() {
        assertTrue(take(twoAtOnce, 1));
        for (int i = 0; i < 100; i++)
            take(new Limit(Scope.KEY, "team/old-" + i, Limit.Kind.REQUESTS, 60), 1);
        clock.advance(Duration.ofMinutes(2));
        for (int i = 0; i < LocalLimitStore.SWEEP_EVERY; i++)
            store.acquireNow(List.of());
        assertEquals(1, store.size(), "only the concurrency slot still in use");
        assertTrue(take(twoAtOnce, 1));
        assertFalse(take(twoAtOnce, 1), "the slot taken before the sweep still counts");
    }
}
