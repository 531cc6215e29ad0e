package io.aigateway.limits;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Charges taken on admission, to settle once when the request ends: reserved tokens adjusted to real usage,
 * concurrency slots given back. Requests stay counted whatever happens: the request was made.
 */
public final class Reservation {
    /** A reservation of nothing, for a request no limit applies to. */
    public static final Reservation NONE = new Reservation(null, List.of(), Decision.FREE);

    private final LimitStore store;
    private final List<Charge> charges;
    private final Decision decision;
    private final AtomicBoolean settled = new AtomicBoolean();

    Reservation(LimitStore store, List<Charge> charges, Decision decision) {
        this.store = store;
        this.charges = List.copyOf(charges);
        this.decision = decision;
    }

    /** What was left of each limit at admission: the source of the {@code x-ratelimit-*} headers. */
    public Decision decision() {
        return decision;
    }

    /**
     * Settles against the tokens really used (prompt plus completion). Only the first call counts, so every way a
     * request can end may call it.
     */
    public void settle(long actualTokens) {
        if (store == null || !settled.compareAndSet(false, true)) {
            return;
        }
        List<Charge> adjustments = new ArrayList<>(charges.size());
        for (Charge charge : charges) {
            Limit limit = charge.limit();
            switch (limit.kind()) {
                case TOKENS -> {
                    long reserved = Math.min(charge.amount(), limit.limit());
                    if (actualTokens != reserved) {
                        adjustments.add(new Charge(limit, actualTokens - reserved));
                    }
                }
                case CONCURRENCY -> adjustments.add(new Charge(limit, -charge.amount()));
                case REQUESTS -> {
                }
            }
        }
        if (!adjustments.isEmpty()) {
            store.settle(adjustments);
        }
    }
}
