package io.aigateway.limits;

import io.aigateway.config.LimitStoreType;
import io.aigateway.config.LimitsConfig;
import io.aigateway.quota.FileQuotaCounterStore;
import io.aigateway.quota.QuotaCounterStore;
import io.aigateway.quota.QuotaLedger;
import io.aigateway.quota.Quotas;
import io.aigateway.quota.RedisQuotas;

import java.time.Clock;

/**
 * The limit machinery of one running gateway: the rate limiter over the configured store and the quota counters.
 * Built once at startup from {@code limits} (changing the store needs a restart); the limits themselves are read
 * from each request's config snapshot, so they follow reloads.
 */
public final class Limits implements AutoCloseable {
    /** The servlet context attribute that holds it. */
    public static final String ATTRIBUTE = Limits.class.getName();

    private final RateLimiter rateLimiter;
    private final Quotas quotas;
    private final QuotaLedger ledger;

    /**
     * @param quotas the quota store in force
     * @param ledger this instance's ledger (the quota store itself when local), closed with this
     */
    public Limits(RateLimiter rateLimiter, Quotas quotas, QuotaLedger ledger) {
        this.rateLimiter = rateLimiter;
        this.quotas = quotas;
        this.ledger = ledger;
    }

    /** The store {@code limits.store} names, with quota counters in {@code limits.state_file}. */
    public static Limits start(LimitsConfig config, Clock clock) {
        return start(config, clock, null);
    }

    /**
     * The store {@code limits.store} names, with a local fallback for {@code fail-open}.
     *
     * @param counters where this instance's quota counters survive restarts: the database store's table when there
     *                 is one; null for the file {@code limits.state_file}
     */
    public static Limits start(LimitsConfig config, Clock clock, QuotaCounterStore counters) {
        LocalLimitStore local = new LocalLimitStore(clock);
        QuotaLedger ledger = new QuotaLedger(counters != null ? counters
                : new FileQuotaCounterStore(config.stateFile()), clock);
        if (config.store() != LimitStoreType.REDIS) {
            return new Limits(new RateLimiter(local, local, config.onStoreFailure()), ledger, ledger);
        }
        RedisLimitStore redis = RedisLimitStore.connect(config.redisUrl(), clock);
        RedisQuotas quotas = new RedisQuotas(redis::commands, redis.prefix(), clock, ledger, config.onStoreFailure());
        RateLimiter limiter = new RateLimiter(redis, local, config.onStoreFailure());
        quotas.onStoreFailure(limiter::storeFailed);
        return new Limits(limiter, quotas, ledger);
    }

    public RateLimiter rateLimiter() {
        return rateLimiter;
    }

    /** The quota counters: in Redis with {@code store: redis}, else this instance's ledger. */
    public Quotas quotas() {
        return quotas;
    }

    @Override
    public void close() {
        quotas.close();
        ledger.close();
        rateLimiter.close();
    }
}
