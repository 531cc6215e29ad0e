package io.aigateway.routing.health;

import io.aigateway.config.CircuitBreakerConfig;
import io.aigateway.routing.health.CircuitBreaker.State;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CircuitBreakerTest {
    private static final Instant START = Instant.parse("2025-01-01T00:00:00Z");
    private static final Duration WINDOW = Duration.ofSeconds(60);
    private static final Duration OPEN_FOR = Duration.ofSeconds(30);
    private static final Duration MAX_OPEN_FOR = Duration.ofSeconds(100);

    private final MutableClock clock = new MutableClock(START);

    /** Opens on three failures in a row only: the rate needs more calls than any test makes. */
    private CircuitBreaker consecutive() {
        return breaker(3, 50, 1000, 2);
    }

    private CircuitBreaker breaker(int consecutiveFailures, int failureRate, int minimumCalls, int halfOpenCalls) {
        return new CircuitBreaker("us/gpt-4o", new CircuitBreakerConfig(consecutiveFailures, failureRate, minimumCalls,
            WINDOW, OPEN_FOR, MAX_OPEN_FOR, halfOpenCalls), clock);
    }

    private static void fail(CircuitBreaker breaker, int times) {
        for (int i = 0; i < times; i++)
            breaker.onFailure();
    }

    private void open(CircuitBreaker breaker) {
        fail(breaker, 3);
        assertEquals(State.OPEN, breaker.state());
    }

    /** Waits out the open period and takes the first trial permit. */
    private void toHalfOpen(CircuitBreaker breaker) {
        clock.advance(Duration.between(clock.instant(), breaker.openUntil()));
        assertTrue(breaker.tryAcquirePermission());
        assertEquals(State.HALF_OPEN, breaker.state());
    }

    private void closeFromHalfOpen(CircuitBreaker breaker, int trials) {
        for (int i = 1; i < trials; i++)
            assertTrue(breaker.tryAcquirePermission());
        for (int i = 0; i < trials; i++)
            breaker.onSuccess();
        assertEquals(State.CLOSED, breaker.state());
    }

    @Test
    void startsClosedAndPermitsEveryCall() {
        CircuitBreaker breaker = consecutive();

        assertEquals(State.CLOSED, breaker.state());
        assertNull(breaker.openUntil());
        for (int i = 0; i < 100; i++)
            assertTrue(breaker.tryAcquirePermission());
    }

    @Test
    void opensAfterConsecutiveFailures() {
        CircuitBreaker breaker = consecutive();

        fail(breaker, 2);
        breaker.onSuccess();
        fail(breaker, 2);
        assertEquals(State.CLOSED, breaker.state(), "a success ends the run");

        breaker.onFailure();

        assertEquals(State.OPEN, breaker.state());
        assertEquals(START.plus(OPEN_FOR), breaker.openUntil());
        assertFalse(breaker.tryAcquirePermission());
        assertFalse(breaker.isCallPermitted());
    }

    @Test
    void opensOnFailureRateOnlyAfterMinimumCalls() {
        CircuitBreaker breaker = breaker(100, 50, 10, 2);

        for (int i = 0; i < 4; i++) {
            breaker.onSuccess();
            breaker.onFailure();
        }
        breaker.onSuccess();
        assertEquals(State.CLOSED, breaker.state(), "9 calls: too few for the rate to count");

        breaker.onFailure();

        assertEquals(State.OPEN, breaker.state(), "5 failures of 10 calls is 50%");
    }

    @Test
    void aRateBelowTheThresholdKeepsItClosed() {
        CircuitBreaker breaker = breaker(100, 50, 10, 2);

        for (int i = 0; i < 20; i++) {
            breaker.onSuccess();
            breaker.onSuccess();
            breaker.onFailure();
        }

        assertEquals(State.CLOSED, breaker.state(), "33% < 50%");
    }

    @Test
    void oldFailuresLeaveTheWindow() {
        CircuitBreaker aged = breaker(100, 50, 4, 2);
        CircuitBreaker recent = breaker(100, 50, 4, 2);
        fail(aged, 3);
        fail(recent, 3);

        clock.advance(WINDOW.dividedBy(2));
        recent.onFailure();
        assertEquals(State.OPEN, recent.state(), "failures half a window old still count");

        clock.advance(WINDOW.dividedBy(2));
        aged.onFailure();
        assertEquals(State.CLOSED, aged.state(), "failures a whole window old do not");
        fail(aged, 2);
        assertEquals(State.CLOSED, aged.state(), "3 calls in the window");
        aged.onFailure();
        assertEquals(State.OPEN, aged.state());
    }

    @Test
    void transitionsToHalfOpenAfterOpenPeriod() {
        CircuitBreaker breaker = consecutive();
        open(breaker);

        clock.advance(OPEN_FOR.minusMillis(1));
        assertFalse(breaker.isCallPermitted());
        assertFalse(breaker.tryAcquirePermission());
        assertEquals(State.OPEN, breaker.state());

        clock.advance(Duration.ofMillis(1));
        assertTrue(breaker.isCallPermitted());
        assertEquals(State.OPEN, breaker.state(), "asking whether a call would be permitted changes nothing");

        assertTrue(breaker.tryAcquirePermission());
        assertEquals(State.HALF_OPEN, breaker.state());
        assertNull(breaker.openUntil());
    }

    @Test
    void halfOpenAdmitsOnlyConfiguredTrials() {
        CircuitBreaker breaker = consecutive();
        open(breaker);
        toHalfOpen(breaker);

        assertTrue(breaker.tryAcquirePermission(), "second of two trials");
        assertFalse(breaker.isCallPermitted());
        assertFalse(breaker.tryAcquirePermission());

        breaker.releasePermission();
        assertTrue(breaker.tryAcquirePermission(), "a released permit can be taken again");
        assertFalse(breaker.tryAcquirePermission());
    }

    @Test
    void releasesNeverRaiseTheTrialLimit() {
        CircuitBreaker breaker = consecutive();
        open(breaker);
        toHalfOpen(breaker);

        for (int i = 0; i < 5; i++)
            breaker.releasePermission();

        assertTrue(breaker.tryAcquirePermission());
        assertTrue(breaker.tryAcquirePermission());
        assertFalse(breaker.tryAcquirePermission());
    }

    @Test
    void closesWhenAllTrialsSucceed() {
        CircuitBreaker breaker = consecutive();
        open(breaker);
        toHalfOpen(breaker);
        assertTrue(breaker.tryAcquirePermission());

        breaker.onSuccess();
        assertEquals(State.HALF_OPEN, breaker.state(), "one trial of two still running");

        breaker.onSuccess();
        assertEquals(State.CLOSED, breaker.state());
        assertTrue(breaker.tryAcquirePermission());
    }

    @Test
    void closingStartsAFreshCount() {
        CircuitBreaker breaker = consecutive();
        fail(breaker, 2);
        breaker.onSuccess();
        open(breaker);
        toHalfOpen(breaker);
        closeFromHalfOpen(breaker, 2);

        fail(breaker, 2);

        assertEquals(State.CLOSED, breaker.state());
    }

    @Test
    void reopensWithDoubledPeriodUpToCap() {
        CircuitBreaker breaker = consecutive();
        open(breaker);

        List<Duration> periods = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            toHalfOpen(breaker);
            breaker.onFailure();
            assertEquals(State.OPEN, breaker.state(), "a failed trial opens it again");
            periods.add(Duration.between(clock.instant(), breaker.openUntil()));
        }

        assertEquals(List.of(Duration.ofSeconds(60), Duration.ofSeconds(100), Duration.ofSeconds(100)), periods);
    }

    @Test
    void aBreakerClosedForLessThanAWindowKeepsItsGrownPeriod() {
        CircuitBreaker breaker = consecutive();
        open(breaker);
        toHalfOpen(breaker);
        breaker.onFailure();
        toHalfOpen(breaker);
        closeFromHalfOpen(breaker, 2);

        clock.advance(WINDOW.minusMillis(1));
        open(breaker);

        assertEquals(clock.instant().plusSeconds(60), breaker.openUntil());
    }

    @Test
    void growthResetsAfterAFullClosedWindow() {
        CircuitBreaker breaker = consecutive();
        open(breaker);
        toHalfOpen(breaker);
        breaker.onFailure();
        toHalfOpen(breaker);
        closeFromHalfOpen(breaker, 2);

        clock.advance(WINDOW);
        open(breaker);

        assertEquals(clock.instant().plus(OPEN_FOR), breaker.openUntil());
    }

    @Test
    void outcomesWhileOpenChangeNothing() {
        CircuitBreaker breaker = consecutive();
        open(breaker);
        Instant until = breaker.openUntil();

        breaker.onSuccess();
        breaker.onFailure();
        breaker.releasePermission();

        assertEquals(State.OPEN, breaker.state());
        assertEquals(until, breaker.openUntil());
    }

    @Test
    void eventsForEveryTransition() {
        CircuitBreaker breaker = consecutive();
        List<CircuitBreakerEvent> events = new ArrayList<>();
        breaker.addListener(events::add);

        open(breaker);
        Instant opened = clock.instant();
        toHalfOpen(breaker);
        Instant firstTrial = clock.instant();
        breaker.onFailure();
        toHalfOpen(breaker);
        Instant secondTrial = clock.instant();
        closeFromHalfOpen(breaker, 2);

        assertEquals(List.of(
            new CircuitBreakerEvent("us/gpt-4o", State.CLOSED, State.OPEN, opened),
            new CircuitBreakerEvent("us/gpt-4o", State.OPEN, State.HALF_OPEN, firstTrial),
            new CircuitBreakerEvent("us/gpt-4o", State.HALF_OPEN, State.OPEN, firstTrial),
            new CircuitBreakerEvent("us/gpt-4o", State.OPEN, State.HALF_OPEN, secondTrial),
            new CircuitBreakerEvent("us/gpt-4o", State.HALF_OPEN, State.CLOSED, secondTrial)), events);
        assertEquals(CircuitBreaker.Transition.HALF_OPEN_TO_CLOSED, events.get(4).transition());
    }

    @Test
    void aFailingListenerDoesNotStopTheTransitionOrTheOthers() {
        CircuitBreaker breaker = consecutive();
        List<CircuitBreakerEvent> events = new ArrayList<>();
        breaker.addListener(event -> {
            throw new IllegalStateException("broken subscriber");
        });
        breaker.addListener(events::add);

        open(breaker);

        assertEquals(1, events.size());
    }

    @Test
    void illegalTransitionsAreRejected() {
        assertThrows(IllegalStateException.class,
            () -> CircuitBreaker.Transition.between(State.CLOSED, State.HALF_OPEN));
        assertThrows(IllegalStateException.class,
            () -> CircuitBreaker.Transition.between(State.OPEN, State.CLOSED));
        assertThrows(IllegalStateException.class,
            () -> new CircuitBreakerEvent("us/gpt-4o", State.OPEN, State.OPEN, START));
        assertThrows(IllegalStateException.class, () -> CircuitBreaker.Transition.resetFrom(State.CLOSED),
            "a closed breaker is reset without a transition");
    }

    @Test
    void everyResetEndsClosedAndOnlyResetsAreForced() {
        for (CircuitBreaker.Transition transition : CircuitBreaker.Transition.values()) {
            if (transition.isReset()) {
                assertEquals(State.CLOSED, transition.to(), transition.name());
                assertEquals(transition, CircuitBreaker.Transition.resetFrom(transition.from()));
            } else {
                assertEquals(transition, CircuitBreaker.Transition.between(transition.from(), transition.to()));
            }
        }
    }

    @Test
    void resetClosesAnOpenBreakerBeforeItsPeriodEnds() {
        CircuitBreaker breaker = consecutive();
        open(breaker);
        clock.advance(Duration.ofSeconds(1));

        breaker.reset();

        assertEquals(State.CLOSED, breaker.state());
        assertNull(breaker.openUntil());
        assertTrue(breaker.isCallPermitted());
        assertTrue(breaker.tryAcquirePermission());
    }

    @Test
    void resetClosesAHalfOpenBreakerWithTrialsRunning() {
        CircuitBreaker breaker = consecutive();
        open(breaker);
        toHalfOpen(breaker);
        assertTrue(breaker.tryAcquirePermission());
        assertFalse(breaker.isCallPermitted(), "both trials taken");

        breaker.reset();

        assertEquals(State.CLOSED, breaker.state());
        assertTrue(breaker.tryAcquirePermission());
        breaker.onFailure();
        assertEquals(State.CLOSED, breaker.state(), "a trial ending after the reset counts as one closed failure");
    }

    @Test
    void resetForgetsRecentFailures() {
        CircuitBreaker breaker = consecutive();
        fail(breaker, 2);

        breaker.reset();
        fail(breaker, 2);

        assertEquals(State.CLOSED, breaker.state(), "two failures before the reset and two after are not three in a row");
        breaker.onFailure();
        assertEquals(State.OPEN, breaker.state());
    }

    @Test
    void resetForgetsTheGrowthOfTheOpenPeriod() {
        CircuitBreaker breaker = consecutive();
        open(breaker);
        toHalfOpen(breaker);
        breaker.onFailure();
        assertEquals(clock.instant().plusSeconds(60), breaker.openUntil(), "grown to twice open_for");

        breaker.reset();
        open(breaker);

        assertEquals(clock.instant().plus(OPEN_FOR), breaker.openUntil(), "back to open_for within the window");
    }

    @Test
    void resetIsPublishedAsAResetTransitionButNotWhenAlreadyClosed() {
        CircuitBreaker breaker = consecutive();
        List<CircuitBreakerEvent> events = new ArrayList<>();
        breaker.addListener(events::add);

        breaker.reset();
        open(breaker);
        breaker.reset();
        open(breaker);
        toHalfOpen(breaker);
        breaker.reset();

        assertEquals(List.of(
            CircuitBreaker.Transition.CLOSED_TO_OPEN,
            CircuitBreaker.Transition.RESET_OPEN_TO_CLOSED,
            CircuitBreaker.Transition.CLOSED_TO_OPEN,
            CircuitBreaker.Transition.OPEN_TO_HALF_OPEN,
            CircuitBreaker.Transition.RESET_HALF_OPEN_TO_CLOSED), events.stream().map(CircuitBreakerEvent::transition).toList());
        CircuitBreakerEvent last = events.get(4);
        assertEquals(State.HALF_OPEN, last.from());
        assertEquals(State.CLOSED, last.to());
        assertTrue(last.transition().isReset());
        assertEquals(clock.instant(), last.at());
        assertFalse(events.get(4).equals(new CircuitBreakerEvent("us/gpt-4o", State.HALF_OPEN, State.CLOSED, clock.instant())),
            "a reset is not the breaker closing by itself");
    }

    @Test
    void reconfigureKeepsTheStateAndAppliesNewThresholds() {
        CircuitBreaker breaker = consecutive();
        open(breaker);
        Instant until = breaker.openUntil();

        breaker.reconfigure(new CircuitBreakerConfig(5, 50, 1000, WINDOW, OPEN_FOR, MAX_OPEN_FOR, 1));

        assertEquals(State.OPEN, breaker.state());
        assertEquals(until, breaker.openUntil());
        clock.advance(OPEN_FOR);
        assertTrue(breaker.tryAcquirePermission());
        assertFalse(breaker.tryAcquirePermission(), "the new half_open_calls: 1");
        breaker.onSuccess();
        fail(breaker, 4);
        assertEquals(State.CLOSED, breaker.state(), "the new consecutive_failures: 5");
        breaker.onFailure();
        assertEquals(State.OPEN, breaker.state());
    }
}
