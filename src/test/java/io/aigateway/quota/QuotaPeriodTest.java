package io.aigateway.quota;

import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

import static org.junit.jupiter.api.Assertions.assertEquals;

class QuotaPeriodTest {
    @Test
    void aMonthlyPeriodStartsOnTheFirstAtMidnightOfItsZone() {
        QuotaPeriod period = new QuotaPeriod("0 0 1 * *", ZoneId.of("America/New_York"));
        Instant now = Instant.parse("2026-03-15T12:00:00Z");
        assertEquals(Instant.parse("2026-03-01T05:00:00Z"), period.start(now));
        assertEquals(Instant.parse("2026-04-01T04:00:00Z"), period.next(now), "after the switch to summer time");
    }

    @Test
    void aFireTimeStartsItsOwnPeriod() {
        QuotaPeriod period = new QuotaPeriod("0 0 * * *", ZoneOffset.UTC);
        Instant midnight = Instant.parse("2026-03-15T00:00:00Z");
        assertEquals(midnight, period.start(midnight));
        assertEquals(Instant.parse("2026-03-14T00:00:00Z"), period.start(midnight.minusMillis(1)));
        assertEquals(Instant.parse("2026-03-16T00:00:00Z"), period.next(midnight));
    }

    @Test
    void aRememberedPeriodGivesWayAtItsEndAndWhenTheClockGoesBack() {
        QuotaPeriod period = new QuotaPeriod("0 0 * * *", ZoneOffset.UTC);
        Instant day = Instant.parse("2026-03-15T00:00:00Z");
        for (Instant now : new Instant[] {day.plusSeconds(10), day.plusSeconds(86_399), day.plusSeconds(86_400),
                day.plusSeconds(86_401), day.minusMillis(1), day, day.plusSeconds(3 * 86_400 + 5)}) {
            QuotaPeriod fresh = new QuotaPeriod("0 0 * * *", ZoneOffset.UTC);
            assertEquals(fresh.start(now), period.start(now), "start at " + now);
            assertEquals(fresh.next(now), period.next(now), "next at " + now);
        }
    }
}
