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
 * ({@code quota.time_zone}) and lasts until the next one.
 */
public final class QuotaPeriod {
    private static final CronParser UNIX = new CronParser(CronDefinitionBuilder.instanceDefinitionFor(CronType.UNIX));

    private final ExecutionTime schedule;
    private final ZoneId zone;

    public QuotaPeriod(String cron, ZoneId zone) {
        this.schedule = ExecutionTime.forCron(UNIX.parse(cron.trim()));
        this.zone = zone;
    }

    /** The start of the period {@code now} is in: the last fire time at or before it. */
    public Instant start(Instant now) {
        ZonedDateTime at = now.atZone(zone);
        // A fire time is the start of its own period; lastExecution is strictly before its argument.
        ZonedDateTime probe = at.plusSeconds(1).withNano(0);
        return schedule.lastExecution(probe).map(ZonedDateTime::toInstant).orElse(Instant.EPOCH);
    }

    /** The start of the next period: when a quota used up now is whole again. */
    public Instant next(Instant now) {
        return schedule.nextExecution(now.atZone(zone)).map(ZonedDateTime::toInstant).orElse(Instant.MAX);
    }
}
