package io.aigateway.notify;

import io.aigateway.config.NotificationEventType;

import java.time.Instant;
import java.util.Objects;

/**
 * One message for operators.
 *
 * @param type    what happened
 * @param subject what it happened to: a deployment id ({@code backend/deployment}), a backend, a quota group or a
 *                public model; with the type, the key under which repeats are suppressed
 * @param text    the sentence operators read; names no secret
 * @param at      when it happened
 */
public record Notification(NotificationEventType type, String subject, String text, Instant at) {

    public Notification {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(subject, "subject");
        Objects.requireNonNull(text, "text");
        Objects.requireNonNull(at, "at");
    }

    /** The key under which repeats are suppressed: the event and its subject. */
    public String key() {
        return type.configName() + " " + subject;
    }

    /** The text as channels show it: the event name first, so that a chat room can be filtered by it. */
    public String headline() {
        return "[ai-gateway] " + type.configName() + ": " + text;
    }
}
