package io.aigateway.store;

import io.aigateway.json.Json;
import jakarta.json.JsonObjectBuilder;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * Writes each audit row, once its transaction committed, as one JSON line to the logger {@code aigateway.audit}
 * (the {@code audit} log channel), so that admin changes can be followed in a file as well as in the table. The
 * entity before and after is the row's JSON, whose secrets are already redacted.
 */
final class AuditLine {
    /** The same name as {@code log.LogChannels.AUDIT_LOGGER}. */
    private static final Logger LOG = LogManager.getLogger("aigateway.audit");

    private AuditLine() {
    }

    static void log(AuditRow row) {
        if (!LOG.isInfoEnabled()) {
            return;
        }
        JsonObjectBuilder line = Json.createObjectBuilder().add("at", row.created.toString())
                .add("actor", row.actor).add("action", row.action).add("entity_type", row.entityType);
        add(line, "entity", row.entityName);
        add(line, "before", row.before);
        add(line, "after", row.after);
        LOG.info(line.build().toString());
    }

    private static void add(JsonObjectBuilder line, String name, String value) {
        if (value != null) {
            line.add(name, value);
        }
    }
}
