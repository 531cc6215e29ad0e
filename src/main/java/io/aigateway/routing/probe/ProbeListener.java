package io.aigateway.routing.probe;

import io.aigateway.registry.Deployment;

/**
 * Hears what the {@link HealthChecker} finds. Called on HTTP client threads, one deployment at a time and in the
 * order the probes completed: implementations must be quick, must not block, and must not call back into the
 * checker.
 */
public interface ProbeListener {
    /**
     * Every probe result, for metrics and logs. The reason never holds a key: a status ({@code HTTP 401: key
     * rejected}) or a failure ({@code timed out after 5s}).
     */
    void onProbeResult(Deployment deployment, boolean healthy, String reason);

    /**
     * The deployment crossed a threshold: {@code healthy_threshold} good probes in a row, or
     * {@code unhealthy_threshold} bad ones. The first crossing after the checker starts (or a deployment starts
     * being probed) is reported too, so the listener learns the starting state. Also called with {@code true}
     * when a deployment stops being probed while unhealthy (health check or backend disabled, deployment gone
     * from the config): active checks no longer hold it out.
     */
    void onTransition(Deployment deployment, boolean healthy);
}
