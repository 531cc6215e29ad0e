package io.aigateway.admin;

import jakarta.json.JsonObjectBuilder;

import java.time.Instant;

/** Small JSON helpers shared by the routes. */
final class AdminJson {
    private AdminJson() {
    }

    /** Adds an instant as ISO-8601 text, or null. */
    static void add(JsonObjectBuilder json, String name, Instant value) {
        if (value == null) {
            json.addNull(name);
        } else {
            json.add(name, value.toString());
        }
    }

    static void add(JsonObjectBuilder json, String name, String value) {
        if (value == null) {
            json.addNull(name);
        } else {
            json.add(name, value);
        }
    }
}
