package io.aigateway.routing;

import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;

/**
 * Live statistics of one deployment, shared by every balancer strategy: requests in flight, time to first byte
 * (kept apart for streaming and non-streaming requests, since a non-streaming answer starts only when it is fully
 * generated), and an EWMA of the success rate. Obtained from a {@link DeploymentStatsRegistry}, so they survive
 * config reloads. No locks: counters are atomics, the EWMAs are swapped with compare-and-set.
 *
 * <p>Use: {@code Call call = stats.begin(stream);} when the request is sent, {@code call.firstByte()} when the
 * first byte of the response arrives, and exactly one of {@code succeeded()}, {@code failed()} or
 * {@code abandoned()} when it ends (later ones are ignored).
 */
public final class DeploymentStats {
    /**
     * Each outcome moves the success rate at least this much of the way toward itself, so the rate follows the
     * last few dozen requests of a busy deployment as well as the last {@link FirstByteStats#DEFAULT_DECAY} of a
     * quiet one.
     */
    public static final double MIN_OUTCOME_WEIGHT = 0.05;

    private final Clock clock;
    private final double decayNanos;
    private final AtomicInteger inFlight = new AtomicInteger();
    private final LongAdder started = new LongAdder();
    private final LongAdder succeeded = new LongAdder();
    private final LongAdder failed = new LongAdder();
    private final AtomicReference<Rate> successRate = new AtomicReference<>(new Rate(1.0, Long.MIN_VALUE));
    private final FirstByteStats streamFirstByte;
    private final FirstByteStats nonStreamFirstByte;

    public DeploymentStats(Clock clock) {
        this(clock, FirstByteStats.DEFAULT_DECAY);
    }

    /** @param decay the time constant of the latency and success-rate EWMAs */
    public DeploymentStats(Clock clock, Duration decay) {
        this.clock = clock;
        this.decayNanos = decay.toNanos();
        this.streamFirstByte = new FirstByteStats(clock, decay);
        this.nonStreamFirstByte = new FirstByteStats(clock, decay);
    }

    /** Counts a request sent to the deployment; the returned call ends it. */
    public Call begin(boolean stream) {
        inFlight.incrementAndGet();
        started.increment();
        return new Call(stream, FirstByteStats.nanos(clock.instant()));
    }

    /** Requests sent and not ended yet. */
    public int inFlight() {
        return inFlight.get();
    }

    /** Requests sent so far. */
    public long started() {
        return started.sum();
    }

    public long succeeded() {
        return succeeded.sum();
    }

    public long failed() {
        return failed.sum();
    }

    /** The EWMA of outcomes, 1 for success and 0 for failure; 1 before the first outcome. */
    public double successRate() {
        return successRate.get().value;
    }

    /** Time to first byte of streaming or of non-streaming requests. */
    public FirstByteStats firstByte(boolean stream) {
        return stream ? streamFirstByte : nonStreamFirstByte;
    }

    /** The 99th percentile of recent times to first byte of this kind of request, or null before any. */
    public Duration p99FirstByte(boolean stream) {
        return firstByte(stream).p99();
    }

    /** Adds an outcome to the success rate without a call, e.g. for an active health probe. */
    public void recordOutcome(boolean success) {
        if (success)
            succeeded.increment();
        else
            failed.increment();
        double sample = success ? 1.0 : 0.0;
        long now = FirstByteStats.nanos(clock.instant());
        Rate current;
        Rate next;
        do {
            current = successRate.get();
            double elapsed = current.stampNanos == Long.MIN_VALUE ? 0 : Math.max(0, now - current.stampNanos);
            double weight = Math.max(MIN_OUTCOME_WEIGHT, 1 - Math.exp(-elapsed / decayNanos));
            next = new Rate(current.value + weight * (sample - current.value), Math.max(now, current.stampNanos));
        } while (!successRate.compareAndSet(current, next));
    }

    private record Rate(double value, long stampNanos) {
    }

    /** One request in flight. Thread-safe; only the first ending counts. */
    public final class Call {
        private final boolean stream;
        private final long startNanos;
        private final AtomicBoolean sawFirstByte = new AtomicBoolean();
        private final AtomicBoolean ended = new AtomicBoolean();

        private Call(boolean stream, long startNanos) {
            this.stream = stream;
            this.startNanos = startNanos;
        }

        /** The first byte of the response arrived: records the time since {@link #begin} (once). */
        public void firstByte() {
            if (sawFirstByte.compareAndSet(false, true))
                DeploymentStats.this.firstByte(stream).record(FirstByteStats.nanos(clock.instant()) - startNanos);
        }

        /** The deployment answered (any answer that is not its fault, including a caller's 4xx). */
        public void succeeded() {
            if (end())
                recordOutcome(true);
        }

        /** The deployment failed: an error of its own, a timeout, a broken connection or stream. */
        public void failed() {
            if (end())
                recordOutcome(false);
        }

        /** The request ended without a verdict on the deployment, e.g. the client went away. */
        public void abandoned() {
            end();
        }

        private boolean end() {
            if (!ended.compareAndSet(false, true))
                return false;
            inFlight.decrementAndGet();
            return true;
        }
    }
}
