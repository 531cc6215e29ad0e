package io.aigateway.limits;

/**
 * The generic cell rate algorithm over one minute: each unit takes {@code 60 s / limit} of a "theoretical arrival
 * time" (TAT); a charge passes when the TAT it leads to is no more than a minute ahead of now. A full minute's worth
 * may be taken at once, then units come back one by one at the steady rate, so there is no double burst at a window
 * boundary, and the state is one number per limit. The same arithmetic runs in the Redis script.
 */
final class Gcra {
    /** The window, in milliseconds. */
    static final double PERIOD_MILLIS = 60_000.0;

    private Gcra() {
    }

    /** Milliseconds of TAT one unit takes. */
    static double interval(long limit) {
        return PERIOD_MILLIS / limit;
    }

    /** The TAT after taking {@code amount} at {@code now}. */
    static double after(double tat, double now, long amount, long limit) {
        return Math.max(tat, now) + Math.min(amount, limit) * interval(limit);
    }

    /** Whether a TAT is allowed at {@code now}. A tolerance absorbs rounding of the interval. */
    static boolean allowed(double newTat, double now) {
        return newTat - now <= PERIOD_MILLIS + 1e-6;
    }

    /** Units still available at {@code now} with this TAT. */
    static long remaining(double tat, double now, long limit) {
        double used = Math.max(0, tat - now);
        return Math.max(0, (long)Math.floor((PERIOD_MILLIS - used) / interval(limit) + 1e-9));
    }

    /** Milliseconds until the whole limit is available again. */
    static long reset(double tat, double now) {
        return (long)Math.ceil(Math.max(0, tat - now));
    }

    /** Milliseconds until a charge refused at {@code now}, leading to {@code newTat}, would pass. */
    static long retryAfter(double newTat, double now) {
        return (long)Math.ceil(Math.max(1, newTat - PERIOD_MILLIS - now));
    }

    /** The TAT after settling a token charge by {@code delta} (negative gives back), never before now. */
    static double settled(double tat, double now, long delta, long limit) {
        double moved = tat + delta * interval(limit);
        return delta < 0 ? Math.max(moved, now) : Math.max(moved, now + delta * interval(limit));
    }
}
