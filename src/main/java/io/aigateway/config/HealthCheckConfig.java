package io.aigateway.config;

import java.time.Duration;

/**
 * A backend's {@code health_check} section: active probes of the backend, so that a dead backend is found (and a
 * recovered one brought back) without sending it client requests.
 *
 * @param enabled            {@code health_check.enabled}: whether the backend is probed; default false, since a
 *                           probe costs a call to the backend
 * @param interval           {@code health_check.interval}: the time between two probes; default 30s
 * @param timeout            {@code health_check.timeout}: the longest a probe may take before it counts as failed;
 *                           default 5s
 * @param healthyThreshold   {@code health_check.healthy_threshold}: successful probes in a row that bring an
 *                           unhealthy backend back; at least 1, default {@value #DEFAULT_HEALTHY_THRESHOLD}
 * @param unhealthyThreshold {@code health_check.unhealthy_threshold}: failed probes in a row that take a healthy
 *                           backend out of rotation; at least 1, default {@value #DEFAULT_UNHEALTHY_THRESHOLD}
 */
public record HealthCheckConfig(
        boolean enabled, Duration interval, Duration timeout, int healthyThreshold, int unhealthyThreshold) {

    /** Probing is opt-in. */
    public static final boolean DEFAULT_ENABLED = false;
    /** A probe every thirty seconds. */
    public static final Duration DEFAULT_INTERVAL = Duration.ofSeconds(30);
    /** Five seconds per probe. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(5);
    /** Two good probes in a row. */
    public static final int DEFAULT_HEALTHY_THRESHOLD = 2;
    /** Three bad probes in a row. */
    public static final int DEFAULT_UNHEALTHY_THRESHOLD = 3;

    /** @throws ConfigException naming each field that breaks its rule */
    public HealthCheckConfig {
        Problems problems = new Problems();
        Durations.requirePositive(problems, "interval", interval);
        Durations.requirePositive(problems, "timeout", timeout);
        if (healthyThreshold < 1) {
            problems.add("healthy_threshold", "must be at least 1");
        }
        if (unhealthyThreshold < 1) {
            problems.add("unhealthy_threshold", "must be at least 1");
        }
        problems.throwIfAny("HealthCheckConfig");
    }

    /** The section as it is when the file leaves it out: probing off. */
    public static HealthCheckConfig defaults() {
        return new HealthCheckConfig(DEFAULT_ENABLED, DEFAULT_INTERVAL, DEFAULT_TIMEOUT, DEFAULT_HEALTHY_THRESHOLD,
                DEFAULT_UNHEALTHY_THRESHOLD);
    }

    @Override
    public String toString() {
        return "HealthCheckConfig[enabled=" + enabled + ", interval=" + Durations.format(interval)
                + ", timeout=" + Durations.format(timeout) + ", healthy_threshold=" + healthyThreshold
                + ", unhealthy_threshold=" + unhealthyThreshold + "]";
    }
}
