package io.aigateway.limits;

/**
 * What is left of one limit after a decision.
 *
 * @param limit       the limit
 * @param remaining   what may still be taken now
 * @param resetMillis milliseconds until the limit is whole again (all of it available)
 */
public record LimitState(Limit limit, long remaining, long resetMillis) {
}
