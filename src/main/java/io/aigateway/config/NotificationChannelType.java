package io.aigateway.config;

import java.util.Arrays;
import java.util.Optional;

/** Where a notification channel delivers: {@code notifications.channels[].type}. */
public enum NotificationChannelType {
    /** A generic JSON POST to {@code url}. */
    WEBHOOK("webhook"),
    /** A Feishu or Lark custom bot at {@code url}, signed when a {@code secret} is given. */
    FEISHU("feishu"),
    /** A Matrix room: {@code url} is the homeserver, with {@code room_id} and {@code access_token}. */
    MATRIX("matrix"),
    /** A Slack incoming webhook at {@code url}. */
    SLACK("slack");

    private final String configName;

    NotificationChannelType(String configName) {
        this.configName = configName;
    }

    /** The name used in the config file, e.g. {@code feishu}. */
    public String configName() {
        return configName;
    }

    /** The type with that config name (exact, lower case), if any. */
    public static Optional<NotificationChannelType> fromConfigName(String name) {
        return Arrays.stream(values()).filter(type -> type.configName.equals(name)).findFirst();
    }
}
