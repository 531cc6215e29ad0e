package io.aigateway.config;

import com.cronutils.model.CronType;
import com.cronutils.model.definition.CronDefinitionBuilder;
import com.cronutils.parser.CronParser;

/** Checks the 5-field (Unix) cron expressions of the config, so that a bad one is refused at load, not at reset. */
final class CronCheck {
    private static final CronParser UNIX = new CronParser(CronDefinitionBuilder.instanceDefinitionFor(CronType.UNIX));

    private CronCheck() {
    }

    /** Why the expression is not a 5-field cron expression, or null when it is one. */
    static String problem(String expression) {
        if (expression.isBlank() || expression.trim().split("\\s+").length != 5) {
            return "must be a 5-field cron expression (minute hour day-of-month month day-of-week), such as '0 0 1 * *'";
        }
        try {
            UNIX.parse(expression.trim()).validate();
            return null;
        } catch (IllegalArgumentException e) {
            return "not a valid cron expression: " + e.getMessage();
        }
    }
}
