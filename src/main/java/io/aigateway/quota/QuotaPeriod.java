package io.aigateway.quota;

import com.cronutils.model.CronType;
import com.cronutils.model.definition.CronDefinitionBuilder;
import com.cronutils.model.time.ExecutionTime;
import com.cronutils.parser.CronParser;

import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;

/**
 * The periods of a quota: each starts at a fire time of its cron expression ({@code quota.reset}) in its time zone
 * ({@code quota.time_zone}) and lasts until the next one. The period last asked about is remembered: every request
 * with a quota asks, and working a cron schedule out costs more than the rest of its admission.
 */
public final class QuotaPeriod {
    private static final CronParser UNIX = new CronParser(CronDefinitionBuilder.instanceDefinitionFor(CronType.UNIX));

    /** One period: from {@code start} (inclusive) to {@code end}, the next fire time. */
    private record Window(Instant start, Instant end) {
        boolean contains(Instant now) {
            return !now.isBefore(start) && now.isBefore(end);
        }
    }

    private final ExecutionTime schedule;
    private final ZoneId zone;
    /** Immutable, so threads that race to replace it at a period's end all put the same one. */
    private volatile Window last;

    public QuotaPeriod(String cron, ZoneId zone) {
        this.schedule = ExecutionTime.forCron(UNIX.parse(cron.trim()));
        this.zone = zone;
    }

    /** The start of the period {@code now} is in: the last fire time at or before it. */
    public Instant start(Instant now) {
        return window(now).start();
    }

    /** The start of the next period: when a quota used up now is whole again. */
    public Instant next(Instant now) {
        return window(now).end();
    }

    private Window window(Instant now) {
        Window known = last;
        if (known != null && known.contains(now))
            return known;
        Window current = new Window(computeStart(now), computeNext(now));
        last = current;
        return current;
    }

    private Instant computeStart(Instant now) {
        ZonedDateTime at = now.atZone(zone);
        // A fire time is the start of its own period; lastExecution is strictly before its argument.
        ZonedDateTime probe = at.plusSeconds(1).withNano(0);
        return schedule.lastExecution(probe).map(ZonedDateTime::toInstant).orElse(Instant.EPOCH);
    }

    private Instant computeNext(Instant now) {
        return schedule.nextExecution(now.atZone(zone)).map(ZonedDateTime::toInstant).orElse(Instant.MAX);
    }
}
