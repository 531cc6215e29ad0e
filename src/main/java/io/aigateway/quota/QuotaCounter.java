package io.aigateway.quota;

import java.math.BigDecimal;
import java.time.Instant;

/**
 * What one subject (a tenant) used in one period: the unit a {@link QuotaCounterStore} keeps.
 *
 * @param subject     the tenant's name
 * @param periodStart the start of the period (a fire time of {@code quota.reset})
 * @param requests    requests admitted
 * @param tokens      tokens used (prompt plus completion), reservations of requests in flight included
 * @param cost        cost of the tokens, by {@code prices}
 */
public record QuotaCounter(String subject, Instant periodStart, long requests, long tokens, BigDecimal cost) {
}
