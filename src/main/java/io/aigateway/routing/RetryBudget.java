package io.aigateway.routing;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * Caps retries at a share of live traffic, so that an outage does not multiply the load on what is left: a retry
 * may start only while the retries in flight stay under {@code percent} of the requests in flight, or under
 * {@code minConcurrent}, whichever allows more. Counts are of requests in flight, not of a time window, so the cap
 * follows the load as it is now.
 */
public final class RetryBudget {
    private volatile int percent;
    private volatile int minConcurrent;
    private final AtomicInteger requestsInFlight = new AtomicInteger();
    private final AtomicInteger retriesInFlight = new AtomicInteger();

    public RetryBudget(int percent, int minConcurrent) {
        update(percent, minConcurrent);
    }

    /** New limits from a reloaded config; the counts of what is in flight carry over. */
    public void update(int percent, int minConcurrent) {
        if (percent < 0 || percent > 100)
            throw new IllegalArgumentException("percent must be between 0 and 100");
        if (minConcurrent < 0)
            throw new IllegalArgumentException("minConcurrent must not be negative");
        this.percent = percent;
        this.minConcurrent = minConcurrent;
    }

    /** A request started; pair with {@link #requestEnded()}. */
    public void requestStarted() {
        requestsInFlight.incrementAndGet();
    }

    public void requestEnded() {
        requestsInFlight.decrementAndGet();
    }

    /**
     * Takes a retry from the budget if there is room; pair a successful call with {@link #retryEnded()}.
     *
     * @return false when the retry must not happen
     */
    public boolean tryStartRetry() {
        while (true) {
            int retries = retriesInFlight.get();
            long allowed = Math.max(minConcurrent, (long)requestsInFlight.get() * percent / 100);
            if (retries >= allowed)
                return false;
            if (retriesInFlight.compareAndSet(retries, retries + 1))
                return true;
        }
    }

    public void retryEnded() {
        retriesInFlight.decrementAndGet();
    }

    public int requestsInFlight() {
        return requestsInFlight.get();
    }

    public int retriesInFlight() {
        return retriesInFlight.get();
    }
}
