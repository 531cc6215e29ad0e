package io.aigateway.config;

import java.time.Duration;

/**
 * A backend's {@code circuit_breaker} section: when the gateway stops sending a deployment traffic after it fails,
 * and how it tries it again. The breaker opens on either trigger: a run of consecutive failures, or a failure
 * rate over the window once enough calls were made. Only failures that are the backend's fault count (errors,
 * timeouts, 5xx), not a client's bad request.
 *
 * @param consecutiveFailures {@code circuit_breaker.consecutive_failures}: this many failures in a row open the
 *                            breaker; at least 1, default {@value #DEFAULT_CONSECUTIVE_FAILURES}
 * @param failureRatePercent  {@code circuit_breaker.failure_rate}: the percentage of failed calls within
 *                            {@code window} that opens the breaker, 1..100; default
 *                            {@value #DEFAULT_FAILURE_RATE_PERCENT}
 * @param minimumCalls        {@code circuit_breaker.minimum_calls}: the calls within {@code window} needed before
 *                            the failure rate counts, so that one failure of two calls does not open it; at least
 *                            1, default {@value #DEFAULT_MINIMUM_CALLS}
 * @param window              {@code circuit_breaker.window}: the sliding time window the failure rate is measured
 *                            over; default 60s
 * @param openFor             {@code circuit_breaker.open_for}: how long the breaker stays open the first time
 *                            before trial calls are let through; default 30s
 * @param maxOpenFor          {@code circuit_breaker.max_open_for}: the longest it stays open when trials keep
 *                            failing (the wait grows from {@code open_for} up to this); at least
 *                            {@code open_for}, default 5m
 * @param halfOpenCalls       {@code circuit_breaker.half_open_calls}: the trial calls let through while half open,
 *                            which decide whether it closes again; at least 1, default
 *                            {@value #DEFAULT_HALF_OPEN_CALLS}
 */
public record CircuitBreakerConfig(
        int consecutiveFailures,
        int failureRatePercent,
        int minimumCalls,
        Duration window,
        Duration openFor,
        Duration maxOpenFor,
        int halfOpenCalls) {

    /** Five failures in a row. */
    public static final int DEFAULT_CONSECUTIVE_FAILURES = 5;
    /** Half of the calls in the window, in percent. */
    public static final int DEFAULT_FAILURE_RATE_PERCENT = 50;
    /** Twenty calls in the window before the rate is trusted. */
    public static final int DEFAULT_MINIMUM_CALLS = 20;
    /** A one-minute sliding window. */
    public static final Duration DEFAULT_WINDOW = Duration.ofSeconds(60);
    /** Thirty seconds open before the first trial. */
    public static final Duration DEFAULT_OPEN_FOR = Duration.ofSeconds(30);
    /** Five minutes at most between trials. */
    public static final Duration DEFAULT_MAX_OPEN_FOR = Duration.ofMinutes(5);
    /** Three trial calls. */
    public static final int DEFAULT_HALF_OPEN_CALLS = 3;

    /** @throws ConfigException naming each field that breaks its rule */
    public CircuitBreakerConfig {
        Problems problems = new Problems();
        if (consecutiveFailures < 1) {
            problems.add("consecutive_failures", "must be at least 1");
        }
        if (failureRatePercent < 1 || failureRatePercent > 100) {
            problems.add("failure_rate", "must be between 1 and 100 (percent)");
        }
        if (minimumCalls < 1) {
            problems.add("minimum_calls", "must be at least 1");
        }
        Durations.requirePositive(problems, "window", window);
        boolean openForUsable = Durations.requirePositive(problems, "open_for", openFor);
        if (Durations.requirePositive(problems, "max_open_for", maxOpenFor) && openForUsable
                && maxOpenFor.compareTo(openFor) < 0) {
            problems.add("max_open_for", "must not be shorter than open_for (" + Durations.format(openFor) + ")");
        }
        if (halfOpenCalls < 1) {
            problems.add("half_open_calls", "must be at least 1");
        }
        problems.throwIfAny("CircuitBreakerConfig");
    }

    /** The section as it is when the file leaves it out. */
    public static CircuitBreakerConfig defaults() {
        return new CircuitBreakerConfig(DEFAULT_CONSECUTIVE_FAILURES, DEFAULT_FAILURE_RATE_PERCENT,
                DEFAULT_MINIMUM_CALLS, DEFAULT_WINDOW, DEFAULT_OPEN_FOR, DEFAULT_MAX_OPEN_FOR,
                DEFAULT_HALF_OPEN_CALLS);
    }

    @Override
    public String toString() {
        return "CircuitBreakerConfig[consecutive_failures=" + consecutiveFailures
                + ", failure_rate=" + failureRatePercent + "%, minimum_calls=" + minimumCalls
                + ", window=" + Durations.format(window) + ", open_for=" + Durations.format(openFor)
                + ", max_open_for=" + Durations.format(maxOpenFor) + ", half_open_calls=" + halfOpenCalls + "]";
    }
}
