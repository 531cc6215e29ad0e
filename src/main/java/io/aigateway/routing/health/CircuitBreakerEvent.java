package io.aigateway.routing.health;

import io.aigateway.routing.health.CircuitBreaker.State;
import io.aigateway.routing.health.CircuitBreaker.Transition;

import java.time.Instant;
import java.util.Objects;

/**
 * One transition of a deployment's circuit breaker, for metrics, logs and notifications. It carries the
 * {@link Transition} rather than two states, since an operator's reset and the breaker's own rules may make the same
 * move ({@code HALF_OPEN → CLOSED}) and a subscriber may want to tell them apart ({@link Transition#isReset()}).
 *
 * @param deploymentId the {@code backend/deployment} id of the breaker
 * @param transition   the move it made
 * @param at           when, by the breaker's clock
 */
public record CircuitBreakerEvent(String deploymentId, Transition transition, Instant at) {

    public CircuitBreakerEvent {
        Objects.requireNonNull(deploymentId, "deploymentId");
        Objects.requireNonNull(transition, "transition");
        Objects.requireNonNull(at, "at");
    }

    /**
     * A move by the breaker's own rules.
     *
     * @throws IllegalStateException when {@code from → to} is not one of them
     */
    public CircuitBreakerEvent(String deploymentId, State from, State to, Instant at) {
        this(deploymentId, Transition.between(from, to), at);
    }

    /** The state it left. */
    public State from() {
        return transition.from();
    }

    /** The state it entered. */
    public State to() {
        return transition.to();
    }
}
