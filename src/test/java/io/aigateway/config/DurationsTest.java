package io.aigateway.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class DurationsTest {

    @Test
    void parsesEachUnit() {
        assertEquals(Duration.ofMillis(250), Durations.parse("250ms"));
        assertEquals(Duration.ofSeconds(30), Durations.parse("30s"));
        assertEquals(Duration.ofMinutes(5), Durations.parse("5m"));
        assertEquals(Duration.ofHours(1), Durations.parse("1h"));
    }

    @Test
    void allowsZeroAndSpacesAroundAndBetween() {
        assertEquals(Duration.ZERO, Durations.parse("0s"));
        assertEquals(Duration.ofSeconds(30), Durations.parse(" 30 s "));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "30", "s", "-5s", "+5s", "1.5s", "5 minutes", "5min", "30S", "1d", "PT30S", "5s5m",
            "9999999999999999999h"})
    void rejectsAnythingButAWholeNumberWithAUnit(String text) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Durations.parse(text));

        assertEquals("'" + text + "' is not a duration (use a number with a unit: 250ms, 30s, 5m, 1h)", e.getMessage());
    }

    @Test
    void rejectsADurationTooLongForJava() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Durations.parse("999999999999999999h"));

        assertEquals("'999999999999999999h' is too long a duration", e.getMessage());
    }

    @ParameterizedTest
    @ValueSource(strings = {"250ms", "1500ms", "30s", "90s", "5m", "2h", "0ms"})
    void formatsInTheLargestExactUnitSoThatParsingRoundTrips(String text) {
        assertEquals(text, Durations.format(Durations.parse(text)));
    }
}
