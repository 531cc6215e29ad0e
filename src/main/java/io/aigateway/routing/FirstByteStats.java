package io.aigateway.routing;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Time to first byte of one deployment for one kind of request (streaming or not): a peak EWMA for balancing and
 * a window of recent samples for a percentile that adaptive timeouts follow.
 *
 * <p>The peak EWMA is Finagle's and Linkerd's: a sample above the estimate replaces it at once, so a deployment
 * that slows down loses traffic on its first slow answer; a lower sample is blended in with a weight that grows
 * with the time since the previous sample ({@code 1 - exp(-elapsed / decay)}), so it recovers over about
 * {@link #DEFAULT_DECAY} rather than on one lucky answer.
 *
 * <p>Lock-free: the estimate is swapped with compare-and-set, the window is a ring of atomic slots.
 */
public final class FirstByteStats {
    /** Ten seconds: the time constant of the peak EWMA's decay toward lower samples. */
    public static final Duration DEFAULT_DECAY = Duration.ofSeconds(10);
    /** The number of recent samples the percentile is taken over. */
    public static final int WINDOW = 256;

    private static final long EMPTY = -1;

    private final Clock clock;
    private final double decayNanos;
    private final AtomicReference<Estimate> estimate = new AtomicReference<>(new Estimate(0, 0, 0));
    private final AtomicLongArray window = new AtomicLongArray(WINDOW);
    private final AtomicLong written = new AtomicLong();
    private final AtomicReference<Percentile> p99 = new AtomicReference<>(new Percentile(0, null));

    public FirstByteStats(Clock clock) {
        this(clock, DEFAULT_DECAY);
    }

    public FirstByteStats(Clock clock, Duration decay) {
        if (decay.isNegative() || decay.isZero())
            throw new IllegalArgumentException("decay must be positive: " + decay);
        this.clock = clock;
        this.decayNanos = decay.toNanos();
        for (int i = 0; i < WINDOW; i++)
            window.set(i, EMPTY);
    }

    /** Adds one sample: the time from sending a request to the first byte of its response. */
    public void record(Duration firstByte) {
        record(firstByte.toNanos());
    }

    /** Adds one sample, in nanoseconds; negative samples are ignored. */
    public void record(long firstByteNanos) {
        if (firstByteNanos < 0)
            return;
        long now = nanos(clock.instant());
        Estimate current;
        Estimate next;
        do {
            current = estimate.get();
            double value;
            if (current.samples == 0 || firstByteNanos >= current.nanos) {
                value = firstByteNanos;
            } else {
                double keep = Math.exp(-Math.max(0, now - current.stampNanos) / decayNanos);
                value = current.nanos * keep + firstByteNanos * (1 - keep);
            }
            next = new Estimate(value, Math.max(now, current.stampNanos), current.samples + 1);
        } while (!estimate.compareAndSet(current, next));

        long slot = written.getAndIncrement();
        window.set((int)(slot % WINDOW), firstByteNanos);
    }

    /** The number of samples recorded so far. */
    public long samples() {
        return estimate.get().samples;
    }

    /** The peak EWMA as of the last sample, in nanoseconds; NaN before the first sample. */
    public double peakEwmaNanos() {
        Estimate current = estimate.get();
        return current.samples == 0 ? Double.NaN : current.nanos;
    }

    /**
     * The peak EWMA decayed toward zero for the time since the last sample, in nanoseconds; NaN before the first
     * sample. This is the load metric of Finagle and tower: a deployment that had one slow answer and then got
     * no traffic looks cheaper and cheaper, so a latency balancer sends it a probe instead of avoiding it forever.
     */
    public double decayedPeakEwmaNanos() {
        return decayedPeakEwmaNanos(nanos(clock.instant()));
    }

    double decayedPeakEwmaNanos(long nowNanos) {
        Estimate current = estimate.get();
        if (current.samples == 0)
            return Double.NaN;
        return current.nanos * Math.exp(-Math.max(0, nowNanos - current.stampNanos) / decayNanos);
    }

    /** The 99th percentile of the last {@link #WINDOW} samples, or null before the first sample. */
    public Duration p99() {
        long count = written.get();
        Percentile cached = p99.get();
        if (cached.written == count)
            return cached.value;
        long[] samples = new long[(int)Math.min(count, WINDOW)];
        int n = 0;
        for (int i = 0; i < samples.length; i++) {
            long sample = window.get(i);
            // A slot claimed by a writer that has not stored its sample yet is still EMPTY.
            if (sample != EMPTY)
                samples[n++] = sample;
        }
        if (n == 0)
            return null;
        Arrays.sort(samples, 0, n);
        int rank = (int)Math.ceil(0.99 * n) - 1;
        Duration value = Duration.ofNanos(samples[Math.max(0, rank)]);
        p99.set(new Percentile(count, value));
        return value;
    }

    static long nanos(Instant instant) {
        return instant.getEpochSecond() * 1_000_000_000L + instant.getNano();
    }

    private record Estimate(double nanos, long stampNanos, long samples) {
    }

    private record Percentile(long written, Duration value) {
    }
}
