package io.aigateway.proxy;

import io.aigateway.config.AdaptiveTimeoutConfig;
import io.aigateway.config.TimeoutsConfig;
import io.aigateway.routing.DeploymentStats;

import java.time.Duration;

/**
 * How long an attempt waits for its first byte: {@code timeouts.stream_first_byte} for streams,
 * {@code timeouts.first_byte} otherwise; with {@code timeouts.adaptive}, twice the deployment's observed p99 for
 * the same kind of request, kept within {@code min} and {@code max} (the configured timeout, so clamped, until
 * there are samples).
 */
final class FirstByteTimeout {
    private FirstByteTimeout() {
    }

    static Duration of(TimeoutsConfig timeouts, boolean stream, DeploymentStats stats) {
        Duration configured = timeouts.firstByte(stream);
        AdaptiveTimeoutConfig adaptive = timeouts.adaptive();
        if (adaptive == null)
            return configured;
        Duration p99 = stats.p99FirstByte(stream);
        Duration target = p99 == null ? configured : p99.multipliedBy(2);
        if (target.compareTo(adaptive.min()) < 0)
            return adaptive.min();
        if (target.compareTo(adaptive.max()) > 0)
            return adaptive.max();
        return target;
    }
}
