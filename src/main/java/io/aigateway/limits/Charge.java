package io.aigateway.limits;

/**
 * An amount taken from (positive) or given back to (negative) one limit: a request, its reserved tokens, a slot of
 * concurrency.
 */
public record Charge(Limit limit, long amount) {
}
