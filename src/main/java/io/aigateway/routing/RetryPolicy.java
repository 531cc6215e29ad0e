package io.aigateway.routing;

/**
 * How many deployments one request may try. A retry happens only for a {@link FailureClass#retryable()} outcome,
 * only while nothing has reached the client, and never on a deployment the request already tried.
 */
public record RetryPolicy(int maxAttempts) {
    /** One attempt and one retry on the next deployment. */
    public static final RetryPolicy DEFAULT = new RetryPolicy(2);

    public RetryPolicy {
        if (maxAttempts < 1)
            throw new IllegalArgumentException("maxAttempts must be at least 1");
    }

    public boolean mayRetry(int attemptsMade, FailureClass failure) {
        return failure.retryable() && attemptsMade < maxAttempts;
    }
}
