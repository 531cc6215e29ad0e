package io.aigateway.routing.health;

import io.aigateway.config.BackendConfig;
import io.aigateway.routing.FailureClass;
import io.aigateway.routing.health.HealthEvent.Kind;

import java.time.Clock;
import java.time.Instant;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

/**
 * Everything that decides whether one deployment may take traffic now, combined: its circuit breaker; its own
 * rate-limit bench; the bench of its endpoint (shared with every deployment on the same {@code scheme://host:port});
 * the bench of its quota group (shared with every deployment of the group's backends); a flag for refused
 * credentials or a deployment gone upstream; the verdict of active health checks; and the {@link OperatorState} an
 * operator set. It takes traffic only when none of them holds it out. Created and kept by {@link HealthRegistry}.
 */
public final class DeploymentHealth {
    private final String deploymentId;
    private final Clock clock;
    private final CircuitBreaker breaker;
    private final Bench rateLimit;
    private final Consumer<HealthEvent> events;
    // Replaced together by a config reload (under this object's lock); read without it on the hot path.
    private volatile BackendConfig backendConfig;
    private volatile Bench endpoint;
    private volatile Bench quotaGroup;
    private volatile String flagReason;
    private volatile boolean probeUnhealthy;
    private final AtomicReference<OperatorState> operatorState = new AtomicReference<>(OperatorState.ENABLED);

    DeploymentHealth(String deploymentId, BackendConfig backendConfig, Bench endpoint, Bench quotaGroup, Clock clock,
            Consumer<HealthEvent> events) {
        this.deploymentId = Objects.requireNonNull(deploymentId, "deploymentId");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.events = Objects.requireNonNull(events, "events");
        this.backendConfig = backendConfig;
        this.endpoint = Objects.requireNonNull(endpoint, "endpoint");
        this.quotaGroup = quotaGroup;
        this.breaker = new CircuitBreaker(deploymentId, backendConfig.circuitBreaker(), clock);
        this.rateLimit = new Bench(deploymentId);
    }

    public String deploymentId() {
        return deploymentId;
    }

    public CircuitBreaker breaker() {
        return breaker;
    }

    /** Whether it may be chosen now. No side effects: for filtering candidates. */
    public boolean available() {
        return admissible(clock.millis()) && breaker.isCallPermitted();
    }

    /**
     * Claims it for one call, taking a trial permit when its breaker is half open. The call's outcome must then be
     * recorded, or {@link #release()} called when it is not made.
     */
    public boolean tryAcquire() {
        return admissible(clock.millis()) && breaker.tryAcquirePermission();
    }

    /** Gives back what {@link #tryAcquire()} took, for a call that was not made. */
    public void release() {
        breaker.releasePermission();
    }

    private boolean admissible(long now) {
        if (operatorState.get() != OperatorState.ENABLED || flagReason != null || probeUnhealthy)
            return false;
        Bench group = quotaGroup;
        return !rateLimit.activeAt(now) && !endpoint.activeAt(now) && (group == null || !group.activeAt(now));
    }

    /**
     * The soonest it could take traffic again: now when it is available; otherwise the end of the latest bench or
     * of the breaker's open period. Null when no time is known: disabled or draining (only an operator brings it
     * back), flagged, failing active checks, or half open with every trial in flight.
     */
    public Instant nextAvailableAt() {
        if (operatorState.get() != OperatorState.ENABLED || flagReason != null || probeUnhealthy)
            return null;
        long now = clock.millis();
        long at = Math.max(now, Math.max(rateLimit.untilMillis(), endpoint.untilMillis()));
        Bench group = quotaGroup;
        if (group != null)
            at = Math.max(at, group.untilMillis());
        Instant openUntil = breaker.openUntil();
        if (openUntil != null)
            at = Math.max(at, openUntil.toEpochMilli());
        else if (!breaker.isCallPermitted())
            return null;
        return Instant.ofEpochMilli(at);
    }

    /** What the operator decided: {@link OperatorState#ENABLED} unless one disabled or drained it. */
    public OperatorState operatorState() {
        return operatorState.get();
    }

    /**
     * Sets the operator's state, publishing {@code OPERATOR_ENABLED}, {@code OPERATOR_DRAINING} or
     * {@code OPERATOR_DISABLED} when it changed. Nothing else is touched: enabling a flagged deployment or one with an
     * open breaker leaves it out until those clear.
     */
    public void setOperatorState(OperatorState next) {
        Objects.requireNonNull(next, "operatorState");
        if (operatorState.getAndSet(next) == next)
            return;
        Kind kind = switch (next) {
            case ENABLED -> Kind.OPERATOR_ENABLED;
            case DRAINING -> Kind.OPERATOR_DRAINING;
            case DISABLED -> Kind.OPERATOR_DISABLED;
        };
        publish(kind, deploymentId, null, null, clock.millis());
    }

    /** Benches this deployment alone until the instant, or keeps the current bench if that one ends later. */
    public void benchUntil(Instant until) {
        long now = clock.millis();
        if (rateLimit.extendTo(Bench.ceilMillis(until), now))
            publish(Kind.BENCHED, deploymentId, rateLimit.until(), null, now);
    }

    /** The end of its own rate-limit bench, or null when it has none running. */
    public Instant benchedUntil() {
        return rateLimit.activeAt(clock.millis()) ? rateLimit.until() : null;
    }

    /** Takes it out until {@link #clearFlag()} or a passing active check: keys refused, deployment gone. */
    public void flag(String reason) {
        String previous = flagReason;
        flagReason = Objects.requireNonNull(reason, "reason");
        if (previous == null)
            publish(Kind.FLAGGED, deploymentId, null, reason, clock.millis());
    }

    public void clearFlag() {
        clearFlag("cleared");
    }

    void clearFlag(String why) {
        String previous = flagReason;
        flagReason = null;
        if (previous != null)
            publish(Kind.FLAG_CLEARED, deploymentId, null, why, clock.millis());
    }

    public boolean flagged() {
        return flagReason != null;
    }

    /** Why it is flagged, or null when it is not. */
    public String flagReason() {
        return flagReason;
    }

    /** Active checks passed: it may take traffic again, and a flag is lifted (the probe used the same credentials). */
    public void markProbeHealthy() {
        boolean wasUnhealthy = probeUnhealthy;
        probeUnhealthy = false;
        if (wasUnhealthy)
            publish(Kind.PROBE_HEALTHY, deploymentId, null, null, clock.millis());
        clearFlag("active health check passed");
    }

    /** Active checks failed: no traffic until they pass. */
    public void markProbeUnhealthy() {
        boolean wasUnhealthy = probeUnhealthy;
        probeUnhealthy = true;
        if (!wasUnhealthy)
            publish(Kind.PROBE_UNHEALTHY, deploymentId, null, null, clock.millis());
    }

    public boolean probeHealthy() {
        return !probeUnhealthy;
    }

    /**
     * The outcome of a call: success and transient failures feed the breaker; a connection failure also benches
     * the whole endpoint for the breaker's {@code open_for}; any other class leaves health alone and gives back a
     * trial permit, since it tells nothing about whether the deployment recovered.
     */
    void record(FailureClass outcome) {
        if (outcome == FailureClass.SUCCESS) {
            breaker.onSuccess();
            // Any answer over the network path proves it up for every deployment on it.
            endpoint.clear();
        } else if (outcome.unhealthy()) {
            breaker.onFailure();
            if (outcome.endpointWide())
                benchEndpoint();
        } else {
            breaker.releasePermission();
        }
    }

    private void benchEndpoint() {
        long now = clock.millis();
        Bench bench = endpoint;
        if (bench.extendTo(now + breaker.config().openFor().toMillis(), now))
            publish(Kind.ENDPOINT_BENCHED, bench.subject(), bench.until(), null, now);
    }

    /** Benches its quota group, or itself when it has none. */
    void benchWithQuotaGroup(Instant until) {
        Bench group = quotaGroup;
        if (group == null) {
            benchUntil(until);
            return;
        }
        long now = clock.millis();
        if (group.extendTo(Bench.ceilMillis(until), now))
            publish(Kind.QUOTA_GROUP_BENCHED, group.subject(), group.until(), null, now);
    }

    /**
     * Follows a reload: the new breaker config (state kept), the benches of its possibly new endpoint and quota
     * group. A flag is lifted when the backend's config changed, since the operator may have fixed what it was for.
     */
    synchronized void reconfigure(BackendConfig next, Bench nextEndpoint, Bench nextQuotaGroup) {
        BackendConfig previous = backendConfig;
        breaker.reconfigure(next.circuitBreaker());
        endpoint = nextEndpoint;
        quotaGroup = nextQuotaGroup;
        backendConfig = next;
        if (!previous.equals(next))
            clearFlag("backend configuration changed");
    }

    private void publish(Kind kind, String subject, Instant until, String reason, long now) {
        events.accept(new HealthEvent(kind, subject, until, reason, Instant.ofEpochMilli(now)));
    }

    @Override
    public String toString() {
        OperatorState operator = operatorState.get();
        return "DeploymentHealth[" + deploymentId + " breaker=" + breaker.state()
            + (operator == OperatorState.ENABLED ? "" : " operator=" + operator)
            + (flagReason == null ? "" : " flagged=" + flagReason) + (probeUnhealthy ? " probe=unhealthy" : "") + "]";
    }
}
