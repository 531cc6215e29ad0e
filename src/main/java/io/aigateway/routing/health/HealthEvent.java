package io.aigateway.routing.health;

import java.time.Instant;
import java.util.Objects;

/**
 * A change in whether deployments may take traffic, other than a circuit breaker transition (those are
 * {@link CircuitBreakerEvent}s): a bench starting, a flag set or cleared, an active check changing its verdict, an
 * operator enabling, draining or disabling a deployment.
 *
 * @param kind    what happened
 * @param subject what it happened to: a deployment id, or the endpoint key or quota group name for those benches
 * @param until   when a bench ends; null for other kinds
 * @param reason  why a deployment was flagged or unflagged; null for other kinds. Never holds a key.
 * @param at      when, by the registry's clock
 */
public record HealthEvent(Kind kind, String subject, Instant until, String reason, Instant at) {

    /** What happened. */
    public enum Kind {
        /** A deployment asked for a pause (429 or spent quota) and gets no traffic until {@code until}. */
        BENCHED,
        /** A backend of a quota group asked for a pause: every deployment of the group is out until {@code until}. */
        QUOTA_GROUP_BENCHED,
        /** A connection to the endpoint failed: every deployment on it is out until {@code until}. */
        ENDPOINT_BENCHED,
        /** Credentials refused or deployment gone: out until cleared or an active check passes. */
        FLAGGED,
        /** A backend refused one of its keys, which is out of rotation; the subject is the backend. */
        KEY_DISABLED,
        /** The flag was lifted. */
        FLAG_CLEARED,
        /** Active checks found the deployment failing: out until they find it healthy. */
        PROBE_UNHEALTHY,
        /** Active checks found the deployment healthy again. */
        PROBE_HEALTHY,
        /** An operator put the deployment back into rotation (it still needs its health to take traffic). */
        OPERATOR_ENABLED,
        /** An operator drained the deployment: no new requests, those in flight finish. */
        OPERATOR_DRAINING,
        /** An operator disabled the deployment: no traffic until enabled. */
        OPERATOR_DISABLED
    }

    public HealthEvent {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(subject, "subject");
        Objects.requireNonNull(at, "at");
    }

    /** Hears health events, on the thread that caused them: must be quick and must not block. */
    @FunctionalInterface
    public interface Listener {
        void onHealthEvent(HealthEvent event);
    }
}
