package io.aigateway.config;

import java.time.Duration;

/**
 * A backend's {@code timeouts} section. Each is written as a number with a unit: {@code 250ms}, {@code 30s},
 * {@code 5m}, {@code 1h}. There is deliberately no total timeout per attempt: a long stream that keeps producing
 * is healthy ({@code routing.request_timeout} bounds only the wait for a response to start).
 *
 * @param connect         {@code timeouts.connect}: the longest wait for a TCP (and TLS) connection; default 10s
 * @param firstByte       {@code timeouts.first_byte}: the longest wait from sending a non-streaming request to the
 *                        first byte of the response; default 60s, since the whole answer is generated first
 * @param streamFirstByte {@code timeouts.stream_first_byte}: the same for a streaming request; default 5s, since a
 *                        streaming response starts as soon as the backend starts generating, so a long silence
 *                        means a backend better left for the next one
 * @param idle            {@code timeouts.idle}: the longest silence between two chunks of a response; default 60s
 * @param adaptive        {@code timeouts.adaptive}: bounds for a first-byte timeout that follows the backend's
 *                        recent latency; null (adaptive timeouts off) when absent
 */
public record TimeoutsConfig(
        Duration connect, Duration firstByte, Duration streamFirstByte, Duration idle, AdaptiveTimeoutConfig adaptive) {

    /** Ten seconds: a healthy endpoint connects in well under one. */
    public static final Duration DEFAULT_CONNECT = Duration.ofSeconds(10);
    /** One minute for a complete non-streaming answer to start arriving. */
    public static final Duration DEFAULT_FIRST_BYTE = Duration.ofSeconds(60);
    /** Five seconds for a streaming response to start. */
    public static final Duration DEFAULT_STREAM_FIRST_BYTE = Duration.ofSeconds(5);
    /** One minute between chunks of a response. */
    public static final Duration DEFAULT_IDLE = Duration.ofSeconds(60);

    /** @throws ConfigException naming each timeout that is missing or not positive */
    public TimeoutsConfig {
        Problems problems = new Problems();
        Durations.requirePositive(problems, "connect", connect);
        Durations.requirePositive(problems, "first_byte", firstByte);
        Durations.requirePositive(problems, "stream_first_byte", streamFirstByte);
        Durations.requirePositive(problems, "idle", idle);
        problems.throwIfAny("TimeoutsConfig");
    }

    /** The section as it is when the file leaves it out. */
    public static TimeoutsConfig defaults() {
        return new TimeoutsConfig(DEFAULT_CONNECT, DEFAULT_FIRST_BYTE, DEFAULT_STREAM_FIRST_BYTE, DEFAULT_IDLE, null);
    }

    /** The fixed first-byte timeout for a streaming or a non-streaming request. */
    public Duration firstByte(boolean stream) {
        return stream ? streamFirstByte : firstByte;
    }

    @Override
    public String toString() {
        return "TimeoutsConfig[connect=" + Durations.format(connect) + ", first_byte=" + Durations.format(firstByte)
                + ", stream_first_byte=" + Durations.format(streamFirstByte) + ", idle=" + Durations.format(idle)
                + (adaptive == null ? "" : ", adaptive=" + adaptive) + "]";
    }
}
