package io.aigateway.routing.health;

import io.aigateway.config.BackendConfig;
import io.aigateway.registry.Backend;
import io.aigateway.registry.Deployment;
import io.aigateway.registry.Registry;
import io.aigateway.routing.FailureClass;
import io.aigateway.routing.HealthTracker;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The health of every deployment, keyed by {@link Deployment#id()} so that it survives config reloads: one
 * {@link DeploymentHealth} each, with its circuit breaker, plus the benches shared per endpoint and per quota group.
 * What each outcome does:
 * <ul>
 * <li>success: a breaker success, and the endpoint's bench is lifted (the network path works);</li>
 * <li>a transient failure ({@link FailureClass#unhealthy()}): a breaker failure; a connection failure also benches
 * every deployment on the endpoint for the breaker's {@code open_for};</li>
 * <li>any other class: health is left alone, and a half-open trial permit is given back;</li>
 * <li>{@link #bench}: a pause the backend asked for, applied to its whole quota group when it has one;</li>
 * <li>{@link #flag}: out until the flag is cleared, an active check passes, or the backend's config changes.</li>
 * </ul>
 * An operator may also {@link #disable} or {@link #drain} a deployment (out until {@link #enable}d, whatever its
 * health, and across reloads) and {@link #resetCircuit} its breaker.
 * Every change is published: breaker transitions as {@link CircuitBreakerEvent}s, the rest as {@link HealthEvent}s.
 */
public final class HealthRegistry implements HealthTracker {
    private static final Logger LOG = LogManager.getLogger(HealthRegistry.class);

    private final Clock clock;
    private final ConcurrentMap<String, DeploymentHealth> deployments = new ConcurrentHashMap<>();
    private final ConcurrentMap<String, Bench> endpoints = new ConcurrentHashMap<>();
    private final ConcurrentMap<String, Bench> quotaGroups = new ConcurrentHashMap<>();
    private final List<CircuitBreaker.Listener> breakerListeners = new CopyOnWriteArrayList<>();
    private final List<HealthEvent.Listener> healthListeners = new CopyOnWriteArrayList<>();

    public HealthRegistry(Clock clock) {
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** The deployment's health, created from its backend's config the first time it is asked for. */
    public DeploymentHealth health(Deployment deployment) {
        DeploymentHealth health = deployments.get(deployment.id());
        return health != null ? health : deployments.computeIfAbsent(deployment.id(), id -> create(deployment));
    }

    private DeploymentHealth create(Deployment deployment) {
        Backend backend = deployment.backend();
        DeploymentHealth health = new DeploymentHealth(deployment.id(), backend.config(), endpointBench(backend),
            quotaGroupBench(backend.config()), clock, this::publish);
        health.breaker().addListener(this::publish);
        return health;
    }

    private Bench endpointBench(Backend backend) {
        return endpoints.computeIfAbsent(backend.endpointKey(), Bench::new);
    }

    private Bench quotaGroupBench(BackendConfig backend) {
        return backend.quotaGroup() == null ? null : quotaGroups.computeIfAbsent(backend.quotaGroup(), Bench::new);
    }

    /**
     * Follows a config reload: each deployment of the new snapshot takes its backend's new circuit breaker config
     * (keeping its state), endpoint and quota group. Call it with every new snapshot, before requests use it: the
     * state of a deployment is otherwise created from whichever snapshot asks first, and a request still running on
     * the old one could win. State of deployments the snapshot no longer has is kept, in case they return.
     */
    public void reconfigure(Registry registry) {
        for (Backend backend : registry.backends()) {
            for (Deployment deployment : backend.deployments()) {
                DeploymentHealth known = deployments.get(deployment.id());
                if (known == null)
                    deployments.computeIfAbsent(deployment.id(), id -> create(deployment));
                else
                    known.reconfigure(backend.config(), endpointBench(backend), quotaGroupBench(backend.config()));
            }
        }
    }

    @Override
    public boolean isAvailable(Deployment deployment) {
        return health(deployment).available();
    }

    @Override
    public boolean tryAcquire(Deployment deployment) {
        return health(deployment).tryAcquire();
    }

    /** Gives back a trial permit taken by {@link #tryAcquire} for a call that was not made. */
    public void release(Deployment deployment) {
        health(deployment).release();
    }

    @Override
    public void recordSuccess(Deployment deployment) {
        health(deployment).record(FailureClass.SUCCESS);
    }

    /**
     * Transient failures count against the breaker (a connection failure against the whole endpoint too); any
     * other class only gives back a half-open trial permit, so call this for every outcome that is not a success.
     */
    @Override
    public void recordFailure(Deployment deployment, FailureClass failure) {
        health(deployment).record(failure);
    }

    /**
     * A 429 or spent quota: no traffic to the deployment, or to its whole quota group when its backend has one,
     * for the pause it asked for (capped by the caller at {@code routing.max_retry_after}).
     */
    @Override
    public void bench(Deployment deployment, Duration pause) {
        if (pause.isNegative() || pause.isZero())
            return;
        health(deployment).benchWithQuotaGroup(clock.instant().plus(pause));
    }

    /** Out until cleared, an active check passes, or the backend's config changes. Gives back a trial permit. */
    @Override
    public void flag(Deployment deployment, String reason) {
        DeploymentHealth health = health(deployment);
        health.flag(reason);
        health.release();
    }

    /** Back into rotation after {@link #disable} or {@link #drain}; its health still decides. */
    public void enable(Deployment deployment) {
        health(deployment).setOperatorState(OperatorState.ENABLED);
    }

    /** No traffic until {@link #enable}d. Requests already sent to it finish. */
    public void disable(Deployment deployment) {
        health(deployment).setOperatorState(OperatorState.DISABLED);
    }

    /**
     * No new requests until {@link #enable}d; requests in flight finish (its {@code DeploymentStats#inFlight()}
     * says when none is left).
     */
    public void drain(Deployment deployment) {
        health(deployment).setOperatorState(OperatorState.DRAINING);
    }

    public OperatorState operatorState(Deployment deployment) {
        return health(deployment).operatorState();
    }

    @Override
    public void keyDisabled(Deployment deployment, int keyIndex) {
        var keys = deployment.backend().keys();
        publish(new HealthEvent(HealthEvent.Kind.KEY_DISABLED, deployment.backend().name(), null,
            "key #" + (keyIndex + 1) + " refused; " + keys.enabledCount() + " of " + keys.size() + " keys left", clock.instant()));
    }

    @Override
    public boolean isDisabledByOperator(Deployment deployment) {
        return operatorState(deployment) == OperatorState.DISABLED;
    }

    /** Closes its circuit breaker now, whatever its state, forgetting its failures ({@link CircuitBreaker#reset()}). */
    public void resetCircuit(Deployment deployment) {
        health(deployment).breaker().reset();
    }

    /** The soonest any of them may take traffic again (now if one can), or null when none will by itself. */
    @Override
    public Instant nextAvailableAt(Collection<Deployment> candidates) {
        Instant soonest = null;
        for (Deployment deployment : candidates) {
            Instant at = health(deployment).nextAvailableAt();
            if (at != null && (soonest == null || at.isBefore(soonest)))
                soonest = at;
        }
        return soonest;
    }

    public void addBreakerListener(CircuitBreaker.Listener listener) {
        breakerListeners.add(Objects.requireNonNull(listener, "listener"));
    }

    public void removeBreakerListener(CircuitBreaker.Listener listener) {
        breakerListeners.remove(listener);
    }

    public void addHealthListener(HealthEvent.Listener listener) {
        healthListeners.add(Objects.requireNonNull(listener, "listener"));
    }

    public void removeHealthListener(HealthEvent.Listener listener) {
        healthListeners.remove(listener);
    }

    private void publish(CircuitBreakerEvent event) {
        for (CircuitBreaker.Listener listener : breakerListeners) {
            try {
                listener.onTransition(event);
            } catch (RuntimeException e) {
                LOG.warn("Circuit breaker listener failed on {}", event, e);
            }
        }
    }

    private void publish(HealthEvent event) {
        for (HealthEvent.Listener listener : healthListeners) {
            try {
                listener.onHealthEvent(event);
            } catch (RuntimeException e) {
                LOG.warn("Health listener failed on {}", event, e);
            }
        }
    }
}
