package io.aigateway.routing;

import org.junit.jupiter.api.Test;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RetryBudgetTest {
    @Test
    void allowsRetriesUpToTheShareOfRequestsInFlight() {
        RetryBudget budget = new RetryBudget(20, 0);
        for (int i = 0; i < 50; i++)
            budget.requestStarted();
        int granted = 0;
        while (budget.tryStartRetry())
            granted++;
        assertEquals(10, granted, "20% of 50");
    }

    @Test
    void alwaysAllowsTheMinimumConcurrentRetries() {
        RetryBudget budget = new RetryBudget(20, 3);
        budget.requestStarted();
        assertTrue(budget.tryStartRetry());
        assertTrue(budget.tryStartRetry());
        assertTrue(budget.tryStartRetry());
        assertFalse(budget.tryStartRetry());
    }

    @Test
    void finishedRetriesGiveTheirPlaceBack() {
        RetryBudget budget = new RetryBudget(0, 1);
        assertTrue(budget.tryStartRetry());
        assertFalse(budget.tryStartRetry());
        budget.retryEnded();
        assertTrue(budget.tryStartRetry());
    }

    @Test
    void newLimitsFromAReloadKeepWhatIsInFlight() {
        RetryBudget budget = new RetryBudget(100, 0);
        budget.requestStarted();
        assertTrue(budget.tryStartRetry());
        budget.update(0, 0);
        assertEquals(1, budget.retriesInFlight());
        assertFalse(budget.tryStartRetry());
    }

    @Test
    void rejectsImpossibleLimits() {
        assertThrows(IllegalArgumentException.class, () -> new RetryBudget(101, 0));
        assertThrows(IllegalArgumentException.class, () -> new RetryBudget(10, -1));
    }

    @Test
    void concurrentRetriesNeverExceedTheBudget() throws Exception {
        RetryBudget budget = new RetryBudget(10, 0);
        for (int i = 0; i < 100; i++)
            budget.requestStarted();
        AtomicInteger inFlight = new AtomicInteger();
        AtomicInteger highest = new AtomicInteger();
        ExecutorService threads = Executors.newFixedThreadPool(8);
        CountDownLatch done = new CountDownLatch(8);
        for (int t = 0; t < 8; t++) {
            threads.execute(() -> {
                for (int i = 0; i < 10_000; i++) {
                    if (budget.tryStartRetry()) {
                        highest.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
                        inFlight.decrementAndGet();
                        budget.retryEnded();
                    }
                }
                done.countDown();
            });
        }
        assertTrue(done.await(30, TimeUnit.SECONDS));
        threads.shutdown();
        assertTrue(highest.get() <= 10, "at most 10% of 100 at once, saw " + highest.get());
        assertEquals(0, budget.retriesInFlight());
    }
}
