package io.aigateway.quota;

import io.aigateway.config.QuotaConfig;
import io.aigateway.config.StoreFailureMode;
import io.aigateway.limits.RedisScript;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.api.async.RedisAsyncCommands;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

import java.math.BigDecimal;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;

/**
 * Quota counters in Redis, shared by every gateway instance: one hash per subject and period
 * ({@code requests}, {@code tokens}, {@code cost}) that expires a day after its period ends. Admission is one script
 * run that checks and reserves at once. While Redis cannot be reached, {@code limits.on_store_failure} decides:
 * this instance's own ledger ({@code fail-open}) or a refusal ({@code fail-closed}).
 */
public final class RedisQuotas implements Quotas {
    private static final Logger LOG = LogManager.getLogger(RedisQuotas.class);
    private static final long GRACE_MILLIS = 86_400_000;

    private static final RedisScript ADMIT = new RedisScript("""
        local r = tonumber(redis.call('HGET', KEYS[1], 'requests') or '0')
        local t = tonumber(redis.call('HGET', KEYS[1], 'tokens') or '0')
        local c = tonumber(redis.call('HGET', KEYS[1], 'cost') or '0')
        local maxR, maxT, maxC = tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3])
        if (maxR >= 0 and r >= maxR) or (maxT >= 0 and t >= maxT) or (maxC >= 0 and c >= maxC) then
          return 0
        end
        redis.call('HINCRBY', KEYS[1], 'requests', 1)
        redis.call('HINCRBY', KEYS[1], 'tokens', ARGV[4])
        redis.call('HINCRBYFLOAT', KEYS[1], 'cost', ARGV[5])
        redis.call('PEXPIRE', KEYS[1], ARGV[6])
        return 1
        """, ScriptOutputType.INTEGER);

    private static final RedisScript ADJUST = new RedisScript("""
        if redis.call('EXISTS', KEYS[1]) == 0 then return 0 end
        redis.call('HINCRBY', KEYS[1], 'requests', ARGV[1])
        redis.call('HINCRBY', KEYS[1], 'tokens', ARGV[2])
        redis.call('HINCRBYFLOAT', KEYS[1], 'cost', ARGV[3])
        return 1
        """, ScriptOutputType.INTEGER);

    private final Supplier<RedisAsyncCommands<String, String>> commands;
    private final String prefix;
    private final Clock clock;
    private final QuotaLedger fallback;
    private final StoreFailureMode onFailure;
    private final Map<String, QuotaPeriod> periods = new ConcurrentHashMap<>();
    private final AtomicBoolean down = new AtomicBoolean();
    private volatile Runnable onStoreFailure = () -> { };

    /**
     * @param commands the limit store's connection (throws when there is none)
     * @param prefix   the key prefix, with the limit store's hash tag
     * @param fallback this instance's own ledger, for {@code fail-open}
     */
    public RedisQuotas(Supplier<RedisAsyncCommands<String, String>> commands, String prefix, Clock clock,
            QuotaLedger fallback, StoreFailureMode onFailure) {
        this.commands = commands;
        this.prefix = prefix;
        this.clock = clock;
        this.fallback = fallback;
        this.onFailure = onFailure;
    }

    private QuotaPeriod period(QuotaConfig quota) {
        return periods.computeIfAbsent(quota.reset() + "|" + quota.timeZone().getId(),
            key -> new QuotaPeriod(quota.reset(), quota.timeZone()));
    }

    private String key(String subject, Instant periodStart) {
        return prefix + "quota:" + subject + ":" + periodStart.toEpochMilli();
    }

    @Override
    public CompletionStage<QuotaDecision> admit(String subject, QuotaConfig quota, long reservedTokens, BigDecimal reservedCost) {
        Instant now = clock.instant();
        QuotaPeriod period = period(quota);
        Instant start = period.start(now);
        Instant resetAt = period.next(now);
        String key = key(subject, start);
        String[] args = {
            limit(quota.requests()), limit(quota.tokens()), quota.cost() == null ? "-1" : quota.cost().toPlainString(),
            Long.toString(reservedTokens), reservedCost.toPlainString(),
            // Relative to the gateway's clock, not Redis's: the two need not agree.
            Long.toString(Math.max(1, resetAt.toEpochMilli() - now.toEpochMilli()) + GRACE_MILLIS)};
        CompletableFuture<QuotaDecision> result = new CompletableFuture<>();
        try {
            ADMIT.<Long>run(commands.get(), new String[] {key}, args).whenComplete((admitted, failure) -> {
                if (failure != null) {
                    result.complete(failed(subject, quota, reservedTokens, reservedCost, failure));
                    return;
                }
                recovered();
                result.complete(new QuotaDecision(admitted == 1 ? new RedisTicket(key, reservedTokens, reservedCost) : null, resetAt));
            });
        } catch (RuntimeException x) {
            result.complete(failed(subject, quota, reservedTokens, reservedCost, x));
        }
        return result;
    }

    /** Told of every admission Redis could not decide (for metrics). */
    public void onStoreFailure(Runnable listener) {
        this.onStoreFailure = listener;
    }

    private QuotaDecision failed(String subject, QuotaConfig quota, long tokens, BigDecimal cost, Throwable failure) {
        onStoreFailure.run();
        boolean first = down.compareAndSet(false, true);
        if (onFailure == StoreFailureMode.FAIL_CLOSED) {
            if (first)
                LOG.error("Quota store (Redis) unreachable, refusing with 503 until it is back: {}", failure.toString());
            return QuotaDecision.UNAVAILABLE;
        }
        if (first)
            LOG.error("Quota store (Redis) unreachable, counting quotas on this instance until it is back: {}", failure.toString());
        return fallback.admitNow(subject, quota, tokens, cost);
    }

    private void recovered() {
        if (down.compareAndSet(true, false))
            LOG.warn("Quota store (Redis) reachable again");
    }

    private static String limit(Long value) {
        return value == null ? "-1" : Long.toString(value);
    }

    /** A place in a period kept in Redis; settling adjusts that period's hash, if it still exists. */
    private final class RedisTicket implements QuotaTicket {
        private final String key;
        private final long reservedTokens;
        private final BigDecimal reservedCost;
        private final AtomicBoolean done = new AtomicBoolean();

        RedisTicket(String key, long reservedTokens, BigDecimal reservedCost) {
            this.key = key;
            this.reservedTokens = reservedTokens;
            this.reservedCost = reservedCost;
        }

        @Override
        public void settle(long tokens, BigDecimal cost) {
            if (done.compareAndSet(false, true))
                adjust(0, tokens - reservedTokens, cost.subtract(reservedCost));
        }

        @Override
        public void cancel() {
            if (done.compareAndSet(false, true))
                adjust(-1, -reservedTokens, reservedCost.negate());
        }

        private void adjust(long requests, long tokens, BigDecimal cost) {
            try {
                ADJUST.run(commands.get(), new String[] {key},
                    Long.toString(requests), Long.toString(tokens), cost.toPlainString())
                    .whenComplete((out, failure) -> {
                        if (failure != null)
                            LOG.warn("Quota store (Redis): a settlement was lost: {}", failure.toString());
                    });
            } catch (RuntimeException x) {
                LOG.warn("Quota store (Redis): a settlement was lost: {}", x.toString());
            }
        }
    }

    @Override
    public QuotaCounter usage(String subject, QuotaConfig quota) {
        Instant start = period(quota).start(clock.instant());
        try {
            List<io.lettuce.core.KeyValue<String, String>> values = commands.get()
                .hmget(key(subject, start), "requests", "tokens", "cost").get(2, TimeUnit.SECONDS);
            return new QuotaCounter(subject, start, number(values.get(0)), number(values.get(1)),
                values.get(2).hasValue() ? new BigDecimal(values.get(2).getValue()) : BigDecimal.ZERO);
        } catch (Exception x) {
            if (x instanceof InterruptedException)
                Thread.currentThread().interrupt();
            return fallback.usage(subject, quota);
        }
    }

    private static long number(io.lettuce.core.KeyValue<String, String> value) {
        return value.hasValue() ? Long.parseLong(value.getValue()) : 0;
    }

    @Override
    public void reset(String subject, QuotaConfig quota) {
        try {
            commands.get().del(key(subject, period(quota).start(clock.instant()))).get(2, TimeUnit.SECONDS);
        } catch (Exception x) {
            if (x instanceof InterruptedException)
                Thread.currentThread().interrupt();
            LOG.warn("Quota store (Redis): reset of {} failed: {}", subject, x.toString());
        }
        fallback.reset(subject, quota);
    }

    /** The fallback ledger is closed by its owner. */
    @Override
    public void close() {
    }
}
