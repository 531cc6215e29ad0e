package io.aigateway.routing.health;

import io.aigateway.config.CircuitBreakerConfig;
import io.aigateway.routing.health.CircuitBreaker.State;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Many threads racing for half-open trial permits, including the race to leave the open state, and to reset. */
class CircuitBreakerConcurrencyTest {
    private static final int THREADS = 16;
    private static final int HALF_OPEN_CALLS = 3;
    private static final int ROUNDS = 50;

    private final MutableClock clock = new MutableClock(Instant.parse("2025-01-01T00:00:00Z"));

    /** An open breaker whose open period is over: the first of the racing threads moves it to half open. */
    private CircuitBreaker expiredOpenBreaker(List<CircuitBreakerEvent> events) {
        CircuitBreaker breaker = new CircuitBreaker("us/gpt-4o", new CircuitBreakerConfig(1, 50, 20,
            Duration.ofSeconds(60), Duration.ofSeconds(30), Duration.ofMinutes(5), HALF_OPEN_CALLS), clock);
        breaker.onFailure();
        breaker.addListener(events::add);
        clock.advance(Duration.ofSeconds(30));
        return breaker;
    }

    @Test
    void manyThreadsNeverTakeMoreThanHalfOpenCallsPermits() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(THREADS);
        try {
            for (int round = 0; round < ROUNDS; round++) {
                List<CircuitBreakerEvent> events = new CopyOnWriteArrayList<>();
                CircuitBreaker breaker = expiredOpenBreaker(events);
                AtomicInteger admitted = new AtomicInteger();

                race(pool, () -> {
                    for (int i = 0; i < 1_000; i++) {
                        if (breaker.tryAcquirePermission())
                            admitted.incrementAndGet();
                    }
                });

                assertEquals(HALF_OPEN_CALLS, admitted.get(), "round " + round);
                assertEquals(State.HALF_OPEN, breaker.state());
                assertEquals(1, events.size(), "exactly one thread moved it to half open");
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void releasedPermitsNeverLetMoreThanHalfOpenCallsRunAtOnce() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(THREADS);
        try {
            for (int round = 0; round < ROUNDS; round++) {
                CircuitBreaker breaker = expiredOpenBreaker(new ArrayList<>());
                AtomicInteger running = new AtomicInteger();
                AtomicInteger mostAtOnce = new AtomicInteger();
                AtomicInteger trials = new AtomicInteger();

                race(pool, () -> {
                    for (int i = 0; i < 1_000; i++) {
                        if (breaker.tryAcquirePermission()) {
                            mostAtOnce.accumulateAndGet(running.incrementAndGet(), Math::max);
                            trials.incrementAndGet();
                            // Leave the count before handing the permit on, or the next holder could be counted too.
                            running.decrementAndGet();
                            breaker.releasePermission();
                        }
                    }
                });

                assertTrue(mostAtOnce.get() <= HALF_OPEN_CALLS, "round " + round + ": " + mostAtOnce.get() + " at once");
                assertTrue(trials.get() > HALF_OPEN_CALLS, "released permits were taken again");
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void racingResetsOfAnOpenBreakerPublishOneReset() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(THREADS);
        try {
            for (int round = 0; round < ROUNDS; round++) {
                List<CircuitBreakerEvent> events = new CopyOnWriteArrayList<>();
                CircuitBreaker breaker = expiredOpenBreaker(events);
                clock.advance(Duration.ofSeconds(-1));

                race(pool, breaker::reset);

                assertEquals(State.CLOSED, breaker.state());
                assertEquals(List.of(CircuitBreaker.Transition.RESET_OPEN_TO_CLOSED),
                    events.stream().map(CircuitBreakerEvent::transition).toList(), "round " + round);
            }
        } finally {
            pool.shutdownNow();
        }
    }

    /** Runs the task on every thread at once and waits for all of them. */
    private static void race(ExecutorService pool, Runnable task) throws Exception {
        CountDownLatch start = new CountDownLatch(1);
        List<Future<?>> done = new ArrayList<>();
        for (int t = 0; t < THREADS; t++) {
            done.add(pool.submit(() -> {
                start.await();
                task.run();
                return null;
            }));
        }
        start.countDown();
        for (Future<?> future : done)
            future.get(30, TimeUnit.SECONDS);
    }
}
