package io.aigateway.config;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Reads and writes the durations of the config file: a whole number with a unit, such as {@code 250ms} or {@code 30s}. */
public final class Durations {

    // The unit is mandatory: a bare "30" is seconds to some readers and milliseconds to others.
    private static final Pattern DURATION = Pattern.compile("(\\d{1,18})\\s*(ms|s|m|h)");

    private Durations() {
    }

    /**
     * Parses {@code 250ms}, {@code 30s}, {@code 5m} or {@code 1h}.
     *
     * @throws IllegalArgumentException if the text is not a non-negative whole number followed by one of those units;
     *                                  its message is fit to show to an operator
     */
    public static Duration parse(String text) {
        Matcher matcher = DURATION.matcher(text.trim());
        if (!matcher.matches()) {
            throw new IllegalArgumentException(
                    "'" + text + "' is not a duration (use a number with a unit: 250ms, 30s, 5m, 1h)");
        }
        long amount = Long.parseLong(matcher.group(1));
        try {
            return switch (matcher.group(2)) {
                case "ms" -> Duration.ofMillis(amount);
                case "s" -> Duration.ofSeconds(amount);
                case "m" -> Duration.ofMinutes(amount);
                default -> Duration.ofHours(amount);
            };
        } catch (ArithmeticException e) {
            throw new IllegalArgumentException("'" + text + "' is too long a duration", e);
        }
    }

    /** Reports a missing, zero or negative duration; returns whether it is usable. */
    static boolean requirePositive(Problems problems, String path, Duration value) {
        if (value == null) {
            problems.add(path, "is required");
            return false;
        }
        if (value.isNegative() || value.isZero()) {
            problems.add(path, "must be greater than zero");
            return false;
        }
        return true;
    }

    /** Writes a duration in the largest unit that keeps it exact, so that {@code parse(format(d))} equals {@code d}. */
    public static String format(Duration duration) {
        if (duration.isNegative() || duration.getNano() % 1_000_000 != 0) {
            return duration.toString();
        }
        long millis = duration.toMillis();
        if (millis == 0 || millis % 1000 != 0) {
            return millis + "ms";
        }
        long seconds = duration.getSeconds();
        if (seconds % 3600 == 0) {
            return seconds / 3600 + "h";
        }
        if (seconds % 60 == 0) {
            return seconds / 60 + "m";
        }
        return seconds + "s";
    }
}
