package io.aigateway.routing;

import java.time.Clock;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * How long a backend asked to be left alone, from the headers the providers use, most precise first:
 * {@code retry-after-ms} (Azure provisioned), {@code x-ms-retry-after-ms}, {@code Retry-After} (seconds or an HTTP
 * date); and when a deployment is about to run out, from OpenAI's {@code x-ratelimit-reset-requests|tokens}
 * ({@code 1s}, {@code 6m0s}, {@code 250ms}). Always capped by {@code routing.max_retry_after}.
 */
public final class RetryAfter {
    private static final Pattern GO_DURATION = Pattern.compile("(?:(\\d+)h)?(?:(\\d+)m(?!s))?(?:(\\d+(?:\\.\\d+)?)s)?(?:(\\d+)ms)?");

    private RetryAfter() {
    }

    /**
     * @param header the reply's headers by name (case-insensitive lookup)
     * @return the pause, capped, or null when the reply does not say
     */
    public static Duration of(Function<String, String> header, Clock clock, Duration cap) {
        Duration pause = millis(header.apply("retry-after-ms"));
        if (pause == null)
            pause = millis(header.apply("x-ms-retry-after-ms"));
        if (pause == null)
            pause = retryAfter(header.apply("retry-after"), clock);
        if (pause == null)
            return null;
        return pause.compareTo(cap) > 0 ? cap : pause;
    }

    /**
     * When a successful reply says that no request (or no token) is left, how long until the window resets:
     * the deployment is steered away from until then, before it starts answering 429.
     */
    public static Duration exhaustedFor(Function<String, String> header, Duration cap) {
        Duration pause = null;
        if (isZero(header.apply("x-ratelimit-remaining-requests")))
            pause = goDuration(header.apply("x-ratelimit-reset-requests"));
        if (isZero(header.apply("x-ratelimit-remaining-tokens"))) {
            Duration tokens = goDuration(header.apply("x-ratelimit-reset-tokens"));
            if (tokens != null && (pause == null || tokens.compareTo(pause) > 0))
                pause = tokens;
        }
        if (pause == null)
            return null;
        return pause.compareTo(cap) > 0 ? cap : pause;
    }

    private static boolean isZero(String value) {
        if (value == null)
            return false;
        try {
            return Long.parseLong(value.trim()) <= 0;
        } catch (NumberFormatException x) {
            return false;
        }
    }

    private static Duration millis(String value) {
        if (value == null)
            return null;
        try {
            long ms = (long)Math.ceil(Double.parseDouble(value.trim()));
            return ms < 0 ? null : Duration.ofMillis(ms);
        } catch (NumberFormatException x) {
            return null;
        }
    }

    private static Duration retryAfter(String value, Clock clock) {
        if (value == null || value.isBlank())
            return null;
        String v = value.trim();
        try {
            long seconds = Long.parseLong(v);
            return seconds < 0 ? null : Duration.ofSeconds(seconds);
        } catch (NumberFormatException notSeconds) {
            try {
                ZonedDateTime at = ZonedDateTime.parse(v, DateTimeFormatter.RFC_1123_DATE_TIME);
                Duration until = Duration.between(clock.instant(), at.toInstant());
                return until.isNegative() ? Duration.ZERO : until;
            } catch (DateTimeParseException notDate) {
                return null;
            }
        }
    }

    /** OpenAI's reset values are Go durations: {@code 1s}, {@code 6m0s}, {@code 1h2m3.5s}, {@code 20ms}. */
    static Duration goDuration(String value) {
        if (value == null || value.isBlank())
            return null;
        Matcher m = GO_DURATION.matcher(value.trim());
        if (!m.matches() || value.isBlank())
            return null;
        long millis = 0;
        if (m.group(1) != null)
            millis += Long.parseLong(m.group(1)) * 3_600_000;
        if (m.group(2) != null)
            millis += Long.parseLong(m.group(2)) * 60_000;
        if (m.group(3) != null)
            millis += (long)Math.ceil(Double.parseDouble(m.group(3)) * 1000);
        if (m.group(4) != null)
            millis += Long.parseLong(m.group(4));
        return Duration.ofMillis(millis);
    }
}
