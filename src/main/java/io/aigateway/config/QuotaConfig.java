package io.aigateway.config;

import java.math.BigDecimal;
import java.time.ZoneId;

/**
 * {@code tenants[].quota}: what a tenant may use per period, a budget that resets on a schedule. When any of the
 * three is used up the tenant gets 429 {@code insufficient_quota} until the next reset.
 *
 * @param requests {@code quota.requests}: requests per period; positive, null for no limit
 * @param tokens   {@code quota.tokens}: tokens (prompt plus completion) per period; positive, null for no limit
 * @param cost     {@code quota.cost}: cost per period in the currency of {@code prices}; positive, null for no limit
 * @param reset    {@code quota.reset}: a 5-field cron expression (minute hour day-of-month month day-of-week) whose
 *                 fire times start each period; default {@code 0 0 1 * *} (monthly, on the 1st at midnight)
 * @param timeZone {@code quota.time_zone}: the time zone the cron expression is read in (an IANA id such as
 *                 {@code Europe/Berlin}); default UTC
 */
public record QuotaConfig(Long requests, Long tokens, BigDecimal cost, String reset, ZoneId timeZone) {

    /** Monthly, on the first day at midnight. */
    public static final String DEFAULT_RESET = "0 0 1 * *";

    /** @throws ConfigException naming each field that breaks its rule, a cron expression that does not parse too */
    public QuotaConfig {
        Problems problems = new Problems();
        if (requests != null && requests <= 0) {
            problems.add("requests", "must be > 0");
        }
        if (tokens != null && tokens <= 0) {
            problems.add("tokens", "must be > 0");
        }
        if (cost != null && cost.signum() <= 0) {
            problems.add("cost", "must be > 0");
        }
        if (requests == null && tokens == null && cost == null) {
            problems.add("", "must set at least one of requests, tokens and cost");
        }
        if (reset == null) {
            problems.add("reset", "is required");
        } else {
            String error = CronCheck.problem(reset);
            if (error != null) {
                problems.add("reset", error);
            }
        }
        if (timeZone == null) {
            problems.add("time_zone", "is required");
        }
        problems.throwIfAny("QuotaConfig");
    }
}
