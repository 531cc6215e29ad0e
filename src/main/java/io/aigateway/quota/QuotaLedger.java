package io.aigateway.quota;

import io.aigateway.config.QuotaConfig;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

import java.math.BigDecimal;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The quota counters of every tenant for the current period, in memory, handed to a {@link QuotaCounterStore}
 * every few seconds when they changed and at shutdown. A request is admitted while its tenant has something left of
 * each quota, counting what requests in flight reserved; so concurrent requests overshoot a quota by at most one
 * request's reservation. A new period starts with zero counters.
 */
public final class QuotaLedger implements Quotas {
    private static final Logger LOG = LogManager.getLogger(QuotaLedger.class);
    private static final long FLUSH_SECONDS = 5;

    private final QuotaCounterStore store;
    private final Clock clock;
    private final Map<String, QuotaCounter> counters = new ConcurrentHashMap<>();
    private final AtomicBoolean dirty = new AtomicBoolean();
    private final ScheduledExecutorService flusher;
    /** Parsed schedules by cron and zone: parsing is too slow to repeat per request. */
    private final Map<String, QuotaPeriod> periods = new ConcurrentHashMap<>();

    public QuotaLedger(QuotaCounterStore store, Clock clock) {
        this.store = store;
        this.clock = clock;
        for (QuotaCounter counter : store.load()) {
            counters.merge(counter.subject(), counter, (a, b) -> a.periodStart().isAfter(b.periodStart()) ? a : b);
        }
        flusher = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "quota-flush");
            thread.setDaemon(true);
            return thread;
        });
        flusher.scheduleWithFixedDelay(this::flushIfDirty, FLUSH_SECONDS, FLUSH_SECONDS, TimeUnit.SECONDS);
    }

    /** A request's place in a period, to settle when it ends. */
    public final class Ticket implements QuotaTicket {
        private final String subject;
        private final Instant periodStart;
        private final long reservedTokens;
        private final BigDecimal reservedCost;
        private final AtomicBoolean settled = new AtomicBoolean();

        Ticket(String subject, Instant periodStart, long reservedTokens, BigDecimal reservedCost) {
            this.subject = subject;
            this.periodStart = periodStart;
            this.reservedTokens = reservedTokens;
            this.reservedCost = reservedCost;
        }

        @Override
        public void cancel() {
            if (settled.compareAndSet(false, true)) {
                add(subject, periodStart, -1, -reservedTokens, reservedCost.negate());
            }
        }

        @Override
        public void settle(long tokens, BigDecimal cost) {
            if (settled.compareAndSet(false, true)) {
                add(subject, periodStart, 0, tokens - reservedTokens, cost.subtract(reservedCost));
            }
        }
    }

    @Override
    public java.util.concurrent.CompletionStage<QuotaDecision> admit(String subject, QuotaConfig quota, long reservedTokens,
            BigDecimal reservedCost) {
        return java.util.concurrent.CompletableFuture.completedFuture(admitNow(subject, quota, reservedTokens, reservedCost));
    }

    /** {@link #admit} without the stage: the ledger never waits. */
    public QuotaDecision admitNow(String subject, QuotaConfig quota, long reservedTokens, BigDecimal reservedCost) {
        Instant now = clock.instant();
        QuotaPeriod period = period(quota);
        Instant start = period.start(now);
        Instant resetAt = period.next(now);
        boolean[] admitted = new boolean[1];
        counters.compute(subject, (name, counter) -> {
            QuotaCounter current = counter == null || !counter.periodStart().equals(start)
                ? new QuotaCounter(name, start, 0, 0, BigDecimal.ZERO) : counter;
            admitted[0] = (quota.requests() == null || current.requests() < quota.requests())
                && (quota.tokens() == null || current.tokens() < quota.tokens())
                && (quota.cost() == null || current.cost().compareTo(quota.cost()) < 0);
            if (!admitted[0])
                return current;
            return new QuotaCounter(name, start, current.requests() + 1, current.tokens() + reservedTokens,
                current.cost().add(reservedCost));
        });
        dirty.set(true);
        return new QuotaDecision(admitted[0] ? new Ticket(subject, start, reservedTokens, reservedCost) : null, resetAt);
    }

    private void add(String subject, Instant periodStart, long requests, long tokens, BigDecimal cost) {
        counters.computeIfPresent(subject, (name, counter) -> counter.periodStart().equals(periodStart)
            ? new QuotaCounter(name, periodStart, counter.requests() + requests, Math.max(0, counter.tokens() + tokens),
                counter.cost().add(cost).max(BigDecimal.ZERO))
            : counter);
        dirty.set(true);
    }

    @Override
    public QuotaCounter usage(String subject, QuotaConfig quota) {
        Instant start = period(quota).start(clock.instant());
        QuotaCounter counter = counters.get(subject);
        return counter != null && counter.periodStart().equals(start) ? counter
            : new QuotaCounter(subject, start, 0, 0, BigDecimal.ZERO);
    }

    private QuotaPeriod period(QuotaConfig quota) {
        return periods.computeIfAbsent(quota.reset() + "|" + quota.timeZone().getId(),
            key -> new QuotaPeriod(quota.reset(), quota.timeZone()));
    }

    @Override
    public void reset(String subject, QuotaConfig quota) {
        counters.remove(subject);
        dirty.set(true);
        flushIfDirty();
    }

    /** Writes the counters to the store now, if they changed. */
    public void flushIfDirty() {
        if (!dirty.getAndSet(false))
            return;
        List<QuotaCounter> snapshot = new ArrayList<>(counters.values());
        try {
            store.save(snapshot);
        } catch (RuntimeException x) {
            dirty.set(true);
            LOG.warn("Quota counters not saved (will retry): {}", x.toString());
        }
    }

    @Override
    public void close() {
        flusher.shutdownNow();
        flushIfDirty();
    }
}
