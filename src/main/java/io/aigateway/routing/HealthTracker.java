package io.aigateway.routing;

import io.aigateway.registry.Deployment;
import io.aigateway.registry.Registry;

import java.time.Duration;
import java.time.Instant;
import java.util.Collection;

/** Which deployments may take traffic now, learnt from the outcomes of the requests sent to them. */
public interface HealthTracker {
    /** Whether the deployment may be chosen now. No side effects: used to filter candidates. */
    boolean isAvailable(Deployment deployment);

    /**
     * Claims the deployment for one request, taking a trial permit where its circuit breaker is half-open.
     *
     * @return false when it may not take the request after all
     */
    default boolean tryAcquire(Deployment deployment) {
        return isAvailable(deployment);
    }

    /** Gives back what {@link #tryAcquire} took when the request was not sent after all. */
    default void release(Deployment deployment) {
    }

    /** A new config snapshot: breaker settings, endpoints and quota groups may have changed. */
    default void reconfigure(Registry registry) {
    }

    void recordSuccess(Deployment deployment);

    /**
     * Records a failed call. Transient classes ({@link FailureClass#unhealthy()}) count against the deployment; the
     * others only end the call (giving back a half-open trial permit).
     */
    void recordFailure(Deployment deployment, FailureClass failure);

    /** The deployment (with its quota group, if it has one) asked for a pause: no traffic until it is over. */
    default void bench(Deployment deployment, Duration pause) {
    }

    /** Out of traffic until re-enabled or until an active health check passes (keys refused, deployment gone). */
    default void flag(Deployment deployment, String reason) {
    }

    /** A backend refused the key at this position of its key ring, which is now out of rotation. */
    default void keyDisabled(Deployment deployment, int keyIndex) {
    }

    /**
     * Whether an operator took the deployment out of all traffic. Requests that must reach one particular
     * deployment (a stored response lives there) go to it whatever its health, unless it is disabled.
     */
    default boolean isDisabledByOperator(Deployment deployment) {
        return false;
    }

    /** The soonest instant one of these deployments may take traffic again, or null when none will by itself. */
    default Instant nextAvailableAt(Collection<Deployment> deployments) {
        return null;
    }
}
