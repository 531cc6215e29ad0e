package io.aigateway.webapp;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/**
 * The server-wide cap on API requests being worked on ({@code server.max_in_flight}). A request over it is refused
 * at once, before its body is read, instead of queueing without bound behind slow backends: the caller (or its
 * load balancer) can try another instance. Lock-free: a compare-and-set on one counter, so the cap is exact.
 */
public final class InFlightLimit {
    private final AtomicInteger inFlight = new AtomicInteger();
    private final LongAdder rejected = new LongAdder();

    /**
     * Admits one request when fewer than {@code max} are in flight; pair a true result with {@link #leave()}.
     *
     * @return false when the request must be refused (counted as a rejection)
     */
    public boolean tryEnter(int max) {
        while (true) {
            int current = inFlight.get();
            if (current >= max) {
                rejected.increment();
                return false;
            }
            if (inFlight.compareAndSet(current, current + 1))
                return true;
        }
    }

    /** An admitted request ended. */
    public void leave() {
        inFlight.decrementAndGet();
    }

    /** Requests admitted and not yet ended. */
    public int inFlight() {
        return inFlight.get();
    }

    /** Requests refused because the cap was reached, since start. */
    public long rejected() {
        return rejected.sum();
    }
}
