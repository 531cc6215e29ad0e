package io.aigateway.config;

import java.time.Duration;

/**
 * A backend's {@code timeouts} section. Each is written as a number with a unit: {@code 250ms}, {@code 30s},
 * {@code 5m}, {@code 1h}. There is deliberately no total timeout: a long stream that keeps producing is healthy.
 *
 * @param connect   {@code timeouts.connect}: the longest wait for a TCP (and TLS) connection; default 10s
 * @param firstByte {@code timeouts.first_byte}: the longest wait from sending the request to the first byte of the
 *                  response; default 120s, since a model may think for a long time before answering
 * @param idle      {@code timeouts.idle}: the longest silence between two chunks of a response; default 60s
 */
public record TimeoutsConfig(Duration connect, Duration firstByte, Duration idle) {

    /** Ten seconds: a healthy endpoint connects in well under one. */
    public static final Duration DEFAULT_CONNECT = Duration.ofSeconds(10);
    /** Two minutes: reasoning models can take that long before their first token. */
    public static final Duration DEFAULT_FIRST_BYTE = Duration.ofSeconds(120);
    /** One minute between chunks of a response. */
    public static final Duration DEFAULT_IDLE = Duration.ofSeconds(60);

    /** @throws ConfigException naming each timeout that is missing or not positive */
    public TimeoutsConfig {
        Problems problems = new Problems();
        requirePositive(problems, "connect", connect);
        requirePositive(problems, "first_byte", firstByte);
        requirePositive(problems, "idle", idle);
        problems.throwIfAny("TimeoutsConfig");
    }

    /** The section as it is when the file leaves it out. */
    public static TimeoutsConfig defaults() {
        return new TimeoutsConfig(DEFAULT_CONNECT, DEFAULT_FIRST_BYTE, DEFAULT_IDLE);
    }

    private static void requirePositive(Problems problems, String field, Duration value) {
        if (value == null) {
            problems.add(field, "is required");
        } else if (value.isNegative() || value.isZero()) {
            problems.add(field, "must be greater than zero");
        }
    }

    @Override
    public String toString() {
        return "TimeoutsConfig[connect=" + Durations.format(connect) + ", first_byte=" + Durations.format(firstByte)
                + ", idle=" + Durations.format(idle) + "]";
    }
}
