package io.aigateway.quota;

import io.aigateway.config.QuotaConfig;

import java.math.BigDecimal;
import java.util.concurrent.CompletionStage;

/**
 * Quota counters per subject (a tenant, or a tenant's key) and period: in this process ({@link QuotaLedger}, kept
 * in a {@link QuotaCounterStore}) or in Redis ({@link RedisQuotas}, shared by every instance).
 */
public interface Quotas extends AutoCloseable {

    /**
     * Admits a request of the subject when something is left of each quota, reserving its tokens and cost; checking
     * and reserving are one step, so concurrent requests overshoot by at most one reservation.
     */
    CompletionStage<QuotaDecision> admit(String subject, QuotaConfig quota, long reservedTokens, BigDecimal reservedCost);

    /** What the subject used in the current period of its quota. */
    QuotaCounter usage(String subject, QuotaConfig quota);

    /** Starts the subject's current period over, for an operator. */
    void reset(String subject, QuotaConfig quota);

    @Override
    void close();
}
