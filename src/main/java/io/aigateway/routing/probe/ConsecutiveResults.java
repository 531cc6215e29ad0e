package io.aigateway.routing.probe;

/**
 * The probe results of one deployment in a row, and the state they have led to. A single good or bad probe does
 * not flip the state: it takes {@code healthy_threshold} good ones or {@code unhealthy_threshold} bad ones in a row,
 * so that one lost packet neither takes a deployment out nor brings a flapping one back. Not thread-safe: the
 * {@link HealthChecker} guards each instance.
 */
final class ConsecutiveResults {
    /** Null until the first threshold is crossed: a deployment nobody has judged yet. */
    private Boolean healthy;
    private int successes;
    private int failures;

    /** @return the new state when this result crossed a threshold into it, otherwise null */
    Boolean record(boolean success, int healthyThreshold, int unhealthyThreshold) {
        if (success) {
            failures = 0;
            successes = Math.min(successes + 1, healthyThreshold);
            if (successes >= healthyThreshold && !Boolean.TRUE.equals(healthy))
                return healthy = Boolean.TRUE;
        } else {
            successes = 0;
            failures = Math.min(failures + 1, unhealthyThreshold);
            if (failures >= unhealthyThreshold && !Boolean.FALSE.equals(healthy))
                return healthy = Boolean.FALSE;
        }
        return null;
    }

    /** True once bad probes have taken the deployment out and good ones have not brought it back yet. */
    boolean isUnhealthy() {
        return Boolean.FALSE.equals(healthy);
    }
}
