package io.aigateway.config;

/**
 * The {@code routing.retry_budget} section: how many retries the gateway may add on top of first attempts, so
 * that an upstream outage does not turn every request into {@code max_attempts} requests and deepen it.
 *
 * @param percent       {@code retry_budget.percent}: retries in flight may be at most this share of the requests
 *                      in flight, 0..100 (0 allows only the {@code min_concurrent} floor); default
 *                      {@value #DEFAULT_PERCENT}
 * @param minConcurrent {@code retry_budget.min_concurrent}: retries always allowed in flight at once, whatever the
 *                      share, so that a quiet gateway can still retry; 0 or more, default
 *                      {@value #DEFAULT_MIN_CONCURRENT}
 */
public record RetryBudgetConfig(int percent, int minConcurrent) {

    /** Retries may add at most 20% to the requests in flight. */
    public static final int DEFAULT_PERCENT = 20;
    /** Three retries in flight are always allowed. */
    public static final int DEFAULT_MIN_CONCURRENT = 3;

    /** @throws ConfigException naming each field that breaks its rule */
    public RetryBudgetConfig {
        Problems problems = new Problems();
        if (percent < 0 || percent > 100) {
            problems.add("percent", "must be between 0 and 100");
        }
        if (minConcurrent < 0) {
            problems.add("min_concurrent", "must not be negative");
        }
        problems.throwIfAny("RetryBudgetConfig");
    }

    /** The section as it is when the file leaves it out. */
    public static RetryBudgetConfig defaults() {
        return new RetryBudgetConfig(DEFAULT_PERCENT, DEFAULT_MIN_CONCURRENT);
    }
}
