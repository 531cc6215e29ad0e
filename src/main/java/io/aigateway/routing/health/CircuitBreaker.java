package io.aigateway.routing.health;

import io.aigateway.config.CircuitBreakerConfig;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The circuit breaker of one deployment: a state machine that stops sending it traffic after it fails, and lets a
 * few trial calls through later to find out whether it recovered.
 * <ul>
 * <li>{@link State#CLOSED}: every call is permitted. Calls and failures are counted over a sliding
 * {@code window}; {@code consecutive_failures} failures in a row, or a failure rate of {@code failure_rate}% over
 * at least {@code minimum_calls} calls within the window, open it.</li>
 * <li>{@link State#OPEN}: no call is permitted until the open period is over; the next permission request then
 * moves it to half open. The period starts at {@code open_for} and doubles each time a trial fails, up to
 * {@code max_open_for}; it falls back to {@code open_for} once the breaker has stayed closed for a whole window.</li>
 * <li>{@link State#HALF_OPEN}: {@code half_open_calls} trial permits are handed out. When that many trials have
 * succeeded it closes; the first failed trial opens it again, for twice as long.</li>
 * </ul>
 * An operator may {@link #reset()} it: closed at once from any state, counts and open-period growth forgotten.
 * <p>
 * Only failures that are the deployment's fault should be reported ({@code FailureClass.unhealthy()}); the caller
 * decides. Every successful {@link #tryAcquirePermission()} must be followed by exactly one of {@link #onSuccess()},
 * {@link #onFailure()} or {@link #releasePermission()}, or a half-open breaker waits for a trial that never ends.
 * <p>
 * Lock-free: the state is one immutable-by-phase object behind an {@link AtomicReference}, and a transition is a
 * compare-and-set of it, so of two threads racing to open the breaker exactly one publishes the event.
 */
public final class CircuitBreaker {
    private static final Logger LOG = LogManager.getLogger(CircuitBreaker.class);

    /** Where the breaker stands. */
    public enum State {
        /** Calls flow; failures are counted. */
        CLOSED,
        /** No calls until the open period is over. */
        OPEN,
        /** A limited number of trial calls decide between closing and opening again. */
        HALF_OPEN
    }

    /**
     * The legal moves of the state machine; any other is a bug. The first four are the breaker's own; the
     * {@code RESET_} ones are forced by an operator ({@link #reset()}) and are the only way out of its rules.
     */
    public enum Transition {
        CLOSED_TO_OPEN(State.CLOSED, State.OPEN, false),
        OPEN_TO_HALF_OPEN(State.OPEN, State.HALF_OPEN, false),
        HALF_OPEN_TO_CLOSED(State.HALF_OPEN, State.CLOSED, false),
        HALF_OPEN_TO_OPEN(State.HALF_OPEN, State.OPEN, false),
        /** An operator closed an open breaker before its open period was over. */
        RESET_OPEN_TO_CLOSED(State.OPEN, State.CLOSED, true),
        /** An operator closed a half-open breaker before its trials decided. */
        RESET_HALF_OPEN_TO_CLOSED(State.HALF_OPEN, State.CLOSED, true);

        private final State from;
        private final State to;
        private final boolean reset;

        Transition(State from, State to, boolean reset) {
            this.from = from;
            this.to = to;
            this.reset = reset;
        }

        public State from() {
            return from;
        }

        public State to() {
            return to;
        }

        /** Whether an operator forced it ({@link #reset()}) rather than the breaker's own rules. */
        public boolean isReset() {
            return reset;
        }

        /**
         * The breaker's own move between the two states (never a reset).
         *
         * @throws IllegalStateException when the breaker has no such move of its own
         */
        public static Transition between(State from, State to) {
            return find(from, to, false);
        }

        /**
         * The reset out of a state.
         *
         * @throws IllegalStateException when there is none: a closed breaker is reset without a transition
         */
        public static Transition resetFrom(State from) {
            return find(from, State.CLOSED, true);
        }

        private static Transition find(State from, State to, boolean reset) {
            for (Transition transition : values()) {
                if (transition.from == from && transition.to == to && transition.reset == reset)
                    return transition;
            }
            throw new IllegalStateException("illegal circuit breaker transition " + from + " -> " + to
                + (reset ? " by reset" : ""));
        }
    }

    /** Hears every transition, on the thread that caused it: must be quick and must not block. */
    @FunctionalInterface
    public interface Listener {
        void onTransition(CircuitBreakerEvent event);
    }

    private final String deploymentId;
    private final Clock clock;
    private final AtomicReference<Phase> phase;
    private final List<Listener> listeners = new CopyOnWriteArrayList<>();
    private volatile CircuitBreakerConfig config;

    public CircuitBreaker(String deploymentId, CircuitBreakerConfig config, Clock clock) {
        this.deploymentId = Objects.requireNonNull(deploymentId, "deploymentId");
        this.config = Objects.requireNonNull(config, "config");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.phase = new AtomicReference<>(new Closed(clock.millis(), config.openFor().toMillis()));
    }

    public String deploymentId() {
        return deploymentId;
    }

    public CircuitBreakerConfig config() {
        return config;
    }

    public State state() {
        return phase.get().state();
    }

    /** When the open period ends (it may be over already: the next permission request moves on), or null unless open. */
    public Instant openUntil() {
        return phase.get() instanceof Open open ? Instant.ofEpochMilli(open.until) : null;
    }

    /**
     * Asks to make one call. Closed: yes. Open: no, unless the open period is over, in which case the breaker moves
     * to half open and this is its first trial. Half open: yes while trial permits are left, each taking one.
     */
    public boolean tryAcquirePermission() {
        return phase.get().tryAcquire(clock.millis());
    }

    /**
     * Whether {@link #tryAcquirePermission()} would say yes now, without taking a permit or changing state: for
     * filtering candidates before one is chosen.
     */
    public boolean isCallPermitted() {
        return phase.get().permits(clock.millis());
    }

    /** Gives back a half-open trial permit for a call that was not made, or whose outcome says nothing of health. */
    public void releasePermission() {
        phase.get().release();
    }

    public void onSuccess() {
        phase.get().onSuccess(clock.millis());
    }

    /** A failure that is the deployment's fault. */
    public void onFailure() {
        phase.get().onFailure(clock.millis());
    }

    /**
     * Applies a reloaded config and keeps the state: an open breaker stays open for the period it was given, trial
     * permits already handed out stay valid, and the new thresholds decide from the next call on. Counts of a
     * closed breaker are dropped only when the window length changed, since their buckets no longer fit.
     */
    public void reconfigure(CircuitBreakerConfig next) {
        Objects.requireNonNull(next, "config");
        CircuitBreakerConfig previous = config;
        if (previous.equals(next))
            return;
        config = next;
        if (!previous.window().equals(next.window()) && phase.get() instanceof Closed closed) {
            // Not a transition: the state stays CLOSED, so no event.
            phase.compareAndSet(closed, new Closed(closed.since, closed.openPeriod));
        }
    }

    /**
     * An operator's override: closes the breaker from any state, with an empty window and its open period back
     * at {@code open_for} (a repeat offender is forgiven). Open or half open, this is a {@code RESET_}
     * {@link Transition} and published like any other; closed, only the counts are dropped and nothing is
     * published, since the state does not change. Outcomes of calls admitted before arrive at the new closed
     * breaker and count there.
     */
    public void reset() {
        while (true) {
            Phase current = phase.get();
            long now = clock.millis();
            Closed fresh = new Closed(now, config.openFor().toMillis());
            if (current instanceof Closed) {
                if (phase.compareAndSet(current, fresh))
                    return;
            } else if (moveTo(current, fresh, Transition.resetFrom(current.state()), now)) {
                return;
            }
        }
    }

    public void addListener(Listener listener) {
        listeners.add(Objects.requireNonNull(listener, "listener"));
    }

    public void removeListener(Listener listener) {
        listeners.remove(listener);
    }

    @Override
    public String toString() {
        return "CircuitBreaker[" + deploymentId + " " + state() + "]";
    }

    private boolean moveTo(Phase from, Phase to, long now) {
        return moveTo(from, to, Transition.between(from.state(), to.state()), now);
    }

    private boolean moveTo(Phase from, Phase to, Transition transition, long now) {
        if (!phase.compareAndSet(from, to))
            return false;
        CircuitBreakerEvent event = new CircuitBreakerEvent(deploymentId, transition, Instant.ofEpochMilli(now));
        for (Listener listener : listeners) {
            try {
                listener.onTransition(event);
            } catch (RuntimeException e) {
                // A broken subscriber must not break the request that happened to cause the transition.
                LOG.warn("Circuit breaker listener failed on {}", event, e);
            }
        }
        return true;
    }

    /** The open period within the configured bounds, which a reload may have moved. */
    private static long bounded(long period, CircuitBreakerConfig config) {
        return Math.max(config.openFor().toMillis(), Math.min(period, config.maxOpenFor().toMillis()));
    }

    /** One state with the data only that state needs; replaced as a whole on each transition. */
    private abstract static class Phase {
        abstract State state();

        abstract boolean tryAcquire(long now);

        abstract boolean permits(long now);

        void release() {
        }

        abstract void onSuccess(long now);

        abstract void onFailure(long now);
    }

    private final class Closed extends Phase {
        /** When it closed: after a whole window closed, a deployment is no longer a repeat offender. */
        final long since;
        /** The open period it was last given, kept until it has been closed for a whole window. */
        final long openPeriod;
        final SlidingWindow window = new SlidingWindow(config.window());
        final AtomicInteger consecutiveFailures = new AtomicInteger();

        Closed(long since, long openPeriod) {
            this.since = since;
            this.openPeriod = openPeriod;
        }

        @Override
        State state() {
            return State.CLOSED;
        }

        @Override
        boolean tryAcquire(long now) {
            return true;
        }

        @Override
        boolean permits(long now) {
            return true;
        }

        @Override
        void onSuccess(long now) {
            window.record(now, false);
            // Read before writing: most successes find the run at zero, and a plain read keeps the line shared.
            if (consecutiveFailures.get() != 0)
                consecutiveFailures.set(0);
        }

        @Override
        void onFailure(long now) {
            window.record(now, true);
            CircuitBreakerConfig c = config;
            int run = consecutiveFailures.incrementAndGet();
            if (run >= c.consecutiveFailures()
                    || window.failureRateReached(now, c.minimumCalls(), c.failureRatePercent())) {
                long period = now - since >= c.window().toMillis() ? c.openFor().toMillis() : bounded(openPeriod, c);
                moveTo(this, new Open(now + period, period), now);
            }
        }
    }

    private final class Open extends Phase {
        final long until;
        final long period;

        Open(long until, long period) {
            this.until = until;
            this.period = period;
        }

        @Override
        State state() {
            return State.OPEN;
        }

        @Override
        boolean tryAcquire(long now) {
            if (now < until)
                return false;
            moveTo(this, new HalfOpen(period, config.halfOpenCalls()), now);
            // Whoever won the race, ask the phase that is current now.
            return phase.get().tryAcquire(now);
        }

        @Override
        boolean permits(long now) {
            return now >= until;
        }

        @Override
        void onSuccess(long now) {
            // A call admitted before the breaker opened: the trials will decide.
        }

        @Override
        void onFailure(long now) {
        }
    }

    private final class HalfOpen extends Phase {
        final long period;
        final int trials;
        final AtomicInteger permits;
        final AtomicInteger successes = new AtomicInteger();

        HalfOpen(long period, int trials) {
            this.period = period;
            this.trials = trials;
            this.permits = new AtomicInteger(trials);
        }

        @Override
        State state() {
            return State.HALF_OPEN;
        }

        @Override
        boolean tryAcquire(long now) {
            while (true) {
                int left = permits.get();
                if (left <= 0)
                    return false;
                if (permits.compareAndSet(left, left - 1))
                    return true;
            }
        }

        @Override
        boolean permits(long now) {
            return permits.get() > 0;
        }

        @Override
        void release() {
            // Capped: a release from a call admitted before this phase must not raise the trial limit.
            while (true) {
                int left = permits.get();
                if (left >= trials || permits.compareAndSet(left, left + 1))
                    return;
            }
        }

        @Override
        void onSuccess(long now) {
            if (successes.incrementAndGet() >= trials)
                moveTo(this, new Closed(now, period), now);
        }

        @Override
        void onFailure(long now) {
            CircuitBreakerConfig c = config;
            long grown = bounded(period > Long.MAX_VALUE / 2 ? Long.MAX_VALUE : period * 2, c);
            moveTo(this, new Open(now + grown, grown), now);
        }
    }
}
