package io.aigateway.config;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * The {@code notifications} section: who is told about outages, about what, and how often.
 *
 * @param channels    {@code notifications.channels[]}: where messages go; none when absent (then nothing is sent)
 * @param events      {@code notifications.events[]}: which events are sent, by name ({@code deployment_down},
 *                    {@code deployment_recovered}, {@code circuit_opened}, {@code key_disabled},
 *                    {@code model_unavailable}, {@code quota_exhausted}, {@code config_reload_failed},
 *                    {@code request_log_drops}); every one when absent
 * @param minInterval {@code notifications.min_interval}: the same event about the same subject is sent at most once
 *                    per interval, so that an outage does not become a storm; default {@code 5m}, {@code 0s} sends
 *                    every one
 */
public record NotificationsConfig(
        List<NotificationChannelConfig> channels, Set<NotificationEventType> events, Duration minInterval) {

    /** No more than one message per event and subject in this time unless told otherwise. */
    public static final Duration DEFAULT_MIN_INTERVAL = Duration.ofMinutes(5);

    /** @throws ConfigException naming each field that breaks its rule */
    public NotificationsConfig {
        Problems problems = new Problems();
        if (channels == null) {
            problems.add("channels", "is required (empty for none)");
        } else {
            for (int i = 0; i < channels.size(); i++) {
                if (channels.get(i) == null) {
                    problems.add(Problems.index("channels", i), "is required");
                }
            }
        }
        if (events == null) {
            problems.add("events", "is required");
        }
        if (minInterval == null) {
            problems.add("min_interval", "is required");
        } else if (minInterval.isNegative()) {
            problems.add("min_interval", "must not be negative");
        }
        problems.throwIfAny("NotificationsConfig");
        channels = List.copyOf(channels);
        events = events.isEmpty() ? Set.of()
                : Collections.unmodifiableSet(EnumSet.copyOf(events));
    }

    /** The section as it is when the file leaves it out: no channels, every event, {@code 5m}. */
    public static NotificationsConfig defaults() {
        return new NotificationsConfig(List.of(), EnumSet.allOf(NotificationEventType.class), DEFAULT_MIN_INTERVAL);
    }

    /** Whether anything could be sent at all. */
    public boolean enabled() {
        return !channels.isEmpty() && !events.isEmpty();
    }

    /** Whether this event is among those to send. */
    public boolean sends(NotificationEventType event) {
        return events.contains(event);
    }

    /** Every secret of the section: tokens, signing secrets, and the webhook URLs that carry tokens. */
    public List<String> secrets() {
        List<String> secrets = new ArrayList<>();
        for (NotificationChannelConfig channel : channels) {
            if (channel.accessToken() != null) {
                secrets.add(channel.accessToken());
            }
            if (channel.secret() != null) {
                secrets.add(channel.secret());
            }
            if (channel.type() != NotificationChannelType.MATRIX) {
                secrets.add(channel.url().toString());
            }
        }
        return secrets;
    }
}
