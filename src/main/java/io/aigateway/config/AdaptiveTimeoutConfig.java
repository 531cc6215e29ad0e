package io.aigateway.config;

import java.time.Duration;

/**
 * A backend's {@code timeouts.adaptive} section: when present, the first-byte timeout follows the latency the
 * backend has recently shown instead of staying fixed, kept between these bounds. Absent means adaptive timeouts
 * are off and the fixed {@code first_byte} and {@code stream_first_byte} apply.
 *
 * @param min {@code timeouts.adaptive.min}: the shortest the adaptive timeout may become, so that a run of fast
 *            answers does not make the next slow-but-healthy one time out; required
 * @param max {@code timeouts.adaptive.max}: the longest it may become; at least {@code min}; required
 */
public record AdaptiveTimeoutConfig(Duration min, Duration max) {

    /** @throws ConfigException naming each bound that is missing, not positive, or out of order */
    public AdaptiveTimeoutConfig {
        Problems problems = new Problems();
        boolean minUsable = Durations.requirePositive(problems, "min", min);
        if (Durations.requirePositive(problems, "max", max) && minUsable && max.compareTo(min) < 0) {
            problems.add("max", "must not be shorter than min (" + Durations.format(min) + ")");
        }
        problems.throwIfAny("AdaptiveTimeoutConfig");
    }

    @Override
    public String toString() {
        return "AdaptiveTimeoutConfig[min=" + Durations.format(min) + ", max=" + Durations.format(max) + "]";
    }
}
