package io.aigateway.webapp;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The in-flight cap is exact under contention, and every refusal is counted. */
class InFlightLimitTest {
    @Test
    void admitsUpToTheCapAndCountsRefusals() {
        InFlightLimit limit = new InFlightLimit();
        assertTrue(limit.tryEnter(2));
        assertTrue(limit.tryEnter(2));
        assertFalse(limit.tryEnter(2));
        assertEquals(2, limit.inFlight());
        assertEquals(1, limit.rejected());
        limit.leave();
        assertTrue(limit.tryEnter(2));
        assertEquals(1, limit.rejected());
    }

    @Test
    void neverAdmitsMoreThanTheCapUnderContention() throws Exception {
        InFlightLimit limit = new InFlightLimit();
        int cap = 8;
        int threads = 16;
        int rounds = 20_000;
        AtomicInteger highest = new AtomicInteger();
        AtomicInteger admitted = new AtomicInteger();
        CountDownLatch start = new CountDownLatch(1);
        List<Thread> workers = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            Thread worker = new Thread(() -> {
                try {
                    start.await();
                } catch (InterruptedException e) {
                    return;
                }
                for (int i = 0; i < rounds; i++) {
                    if (limit.tryEnter(cap)) {
                        admitted.incrementAndGet();
                        highest.accumulateAndGet(limit.inFlight(), Math::max);
                        limit.leave();
                    }
                }
            });
            worker.start();
            workers.add(worker);
        }
        start.countDown();
        for (Thread worker : workers)
            worker.join();

        assertTrue(highest.get() <= cap, "at most " + cap + " at once, saw " + highest.get());
        assertEquals(0, limit.inFlight());
        assertEquals((long)threads * rounds, admitted.get() + limit.rejected(), "every attempt admitted or counted");
    }
}
