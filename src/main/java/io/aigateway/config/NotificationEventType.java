package io.aigateway.config;

import java.util.Arrays;
import java.util.Optional;
import java.util.stream.Collectors;

/** What operators can be told about: the names of {@code notifications.events[]}. */
public enum NotificationEventType {
    /** A deployment was taken out of rotation: active checks fail, or it was flagged (keys refused, gone upstream). */
    DEPLOYMENT_DOWN("deployment_down"),
    /** A deployment takes traffic again: checks pass, its flag was cleared, or its breaker closed after opening. */
    DEPLOYMENT_RECOVERED("deployment_recovered"),
    /** A deployment's circuit breaker opened after failures. */
    CIRCUIT_OPENED("circuit_opened"),
    /** A backend refused its keys. */
    KEY_DISABLED("key_disabled"),
    /** Every deployment serving a public model is unavailable. */
    MODEL_UNAVAILABLE("model_unavailable"),
    /** A deployment or quota group asked for a pause (rate limit or spent quota). */
    QUOTA_EXHAUSTED("quota_exhausted"),
    /** A new config could not be applied. Accepted, not emitted yet: config reloads come later. */
    CONFIG_RELOAD_FAILED("config_reload_failed"),
    /** The request log dropped records. Accepted, not emitted yet: the request log comes later. */
    REQUEST_LOG_DROPS("request_log_drops");

    private final String configName;

    NotificationEventType(String configName) {
        this.configName = configName;
    }

    /** The name used in the config file and in messages, e.g. {@code circuit_opened}. */
    public String configName() {
        return configName;
    }

    /** The event with that config name (exact, lower case), if any. */
    public static Optional<NotificationEventType> fromConfigName(String name) {
        return Arrays.stream(values()).filter(type -> type.configName.equals(name)).findFirst();
    }

    /** Every config name, comma separated, in declaration order: for error messages. */
    public static String configNames() {
        return Arrays.stream(values()).map(NotificationEventType::configName).collect(Collectors.joining(", "));
    }
}
