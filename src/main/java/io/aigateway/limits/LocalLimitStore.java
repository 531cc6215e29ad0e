package io.aigateway.limits;

import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Limit state in this process: exact for one gateway instance. One short critical section per decision makes the
 * check of every charge and the taking of all of them one step, as the Redis script does; it holds no I/O.
 */
public final class LocalLimitStore implements LimitStore {
    private final Clock clock;
    /** How many decisions between two sweeps of state that has gone back to empty. */
    static final int SWEEP_EVERY = 10_000;

    /**
     * Per limit: the TAT in epoch milliseconds (rates) or the number in flight (concurrency), and whether it is a
     * concurrency count. Keyed by the limit itself, whose equality is that of its {@link Limit#key() key}, so that
     * no key is built per request.
     */
    private final Map<Limit, double[]> state = new HashMap<>();
    private int decisions;

    public LocalLimitStore(Clock clock) {
        this.clock = clock;
    }

    @Override
    public CompletionStage<Decision> acquire(List<Charge> charges) {
        return CompletableFuture.completedFuture(acquireNow(charges));
    }

    /** {@link #acquire} without the stage: the local store never waits. */
    public synchronized Decision acquireNow(List<Charge> charges) {
        double now = clock.millis();
        if (++decisions % SWEEP_EVERY == 0)
            sweep(now);
        List<LimitState> states = new ArrayList<>(charges.size());
        double[] next = new double[charges.size()];
        Limit refusedBy = null;
        long retryAfter = 0;
        for (int i = 0; i < charges.size(); i++) {
            Charge charge = charges.get(i);
            Limit limit = charge.limit();
            double current = slot(limit)[0];
            if (limit.kind() == Limit.Kind.CONCURRENCY) {
                next[i] = current + charge.amount();
                boolean ok = next[i] <= limit.limit();
                states.add(new LimitState(limit, Math.max(0, limit.limit() - (long)(ok ? next[i] : current)), 0));
                if (!ok && refusedBy == null) {
                    refusedBy = limit;
                    retryAfter = 1000;
                }
                continue;
            }
            next[i] = Gcra.after(current, now, charge.amount(), limit.limit());
            boolean ok = Gcra.allowed(next[i], now);
            double shown = ok ? next[i] : current;
            states.add(new LimitState(limit, Gcra.remaining(shown, now, limit.limit()), Gcra.reset(shown, now)));
            if (!ok) {
                long wait = Gcra.retryAfter(next[i], now);
                if (refusedBy == null || wait > retryAfter) {
                    refusedBy = limit;
                    retryAfter = wait;
                }
            }
        }
        if (refusedBy != null) {
            return new Decision(false, states, refusedBy, retryAfter);
        }
        for (int i = 0; i < charges.size(); i++) {
            slot(charges.get(i).limit())[0] = next[i];
        }
        return new Decision(true, states, null, 0);
    }

    @Override
    public synchronized void settle(List<Charge> adjustments) {
        double now = clock.millis();
        for (Charge charge : adjustments) {
            Limit limit = charge.limit();
            double[] slot = slot(limit);
            if (limit.kind() == Limit.Kind.CONCURRENCY) {
                slot[0] = Math.max(0, slot[0] + charge.amount());
            } else if (charge.amount() != 0) {
                slot[0] = Gcra.settled(slot[0], now, charge.amount(), limit.limit());
            }
        }
    }

    private double[] slot(Limit limit) {
        return state.computeIfAbsent(limit, key -> new double[] {0, key.kind() == Limit.Kind.CONCURRENCY ? 1 : 0});
    }

    /**
     * Drops state that is back to empty (a TAT in the past, nothing in flight): keys, models and limits that a config
     * reload removed or changed would otherwise stay for good. An empty state and no state mean the same.
     */
    private void sweep(double now) {
        state.values().removeIf(slot -> slot[1] == 1 ? slot[0] <= 0 : slot[0] <= now);
    }

    /** How many limits hold state now. */
    synchronized int size() {
        return state.size();
    }

    @Override
    public void close() {
    }
}
