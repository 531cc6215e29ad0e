package io.aigateway.limits;

import io.aigateway.config.LimitStoreType;
import io.aigateway.config.LimitsConfig;
import io.aigateway.quota.FileQuotaCounterStore;
import io.aigateway.quota.QuotaLedger;

import java.time.Clock;

/**
 * The limit machinery of one running gateway: the rate limiter over the configured store and the quota ledger.
 * Built once at startup from {@code limits} (changing the store needs a restart); the limits themselves are read
 * from each request's config snapshot, so they follow reloads.
 */
public final class Limits implements AutoCloseable {
    /** The servlet context attribute that holds it. */
    public static final String ATTRIBUTE = Limits.class.getName();

    private final RateLimiter rateLimiter;
    private final QuotaLedger quotas;

    public Limits(RateLimiter rateLimiter, QuotaLedger quotas) {
        this.rateLimiter = rateLimiter;
        this.quotas = quotas;
    }

    /** The store {@code limits.store} names, with a local fallback for {@code fail-open}. */
    public static Limits start(LimitsConfig config, Clock clock) {
        LocalLimitStore local = new LocalLimitStore(clock);
        LimitStore store = config.store() == LimitStoreType.REDIS
            ? RedisLimitStore.connect(config.redisUrl(), clock) : local;
        QuotaLedger quotas = new QuotaLedger(new FileQuotaCounterStore(config.stateFile()), clock);
        return new Limits(new RateLimiter(store, local, config.onStoreFailure()), quotas);
    }

    public RateLimiter rateLimiter() {
        return rateLimiter;
    }

    public QuotaLedger quotas() {
        return quotas;
    }

    @Override
    public void close() {
        quotas.close();
        rateLimiter.close();
    }
}
