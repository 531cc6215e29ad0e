package io.aigateway.routing.health;

import io.aigateway.routing.health.CircuitBreaker.State;
import io.aigateway.routing.health.CircuitBreaker.Transition;

import java.time.Instant;
import java.util.Objects;

/**
 * One transition of a deployment's circuit breaker, for metrics, logs and notifications.
 *
 * @param deploymentId the {@code backend/deployment} id of the breaker
 * @param from         the state it left
 * @param to           the state it entered
 * @param at           when, by the breaker's clock
 */
public record CircuitBreakerEvent(String deploymentId, State from, State to, Instant at) {

    /** @throws IllegalStateException when {@code from → to} is not a legal {@link Transition} */
    public CircuitBreakerEvent {
        Objects.requireNonNull(deploymentId, "deploymentId");
        Objects.requireNonNull(at, "at");
        Transition.between(from, to);
    }

    public Transition transition() {
        return Transition.between(from, to);
    }
}
