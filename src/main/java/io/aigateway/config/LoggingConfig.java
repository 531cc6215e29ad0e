package io.aigateway.config;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The {@code logging} section: the gateway's log files. Without it (or with no channels) the gateway leaves
 * logging to the standard log4j2 configuration: {@code log4j2.xml} in the WAR (the console), or the file named by
 * {@code -Dlog4j2.configurationFile}.
 *
 * @param channels {@code logging.channels[]}: one file per log, each with its own level and rolling policy; none
 *                 when absent
 */
public record LoggingConfig(List<LogChannelConfig> channels) {

    /** @throws ConfigException naming each field that breaks its rule */
    public LoggingConfig {
        Problems problems = new Problems();
        if (channels == null) {
            problems.add("channels", "is required (empty for none)");
        } else {
            Map<String, Integer> names = new HashMap<>();
            Map<String, Integer> files = new HashMap<>();
            for (int i = 0; i < channels.size(); i++) {
                LogChannelConfig channel = channels.get(i);
                String path = Problems.index("channels", i);
                if (channel == null) {
                    problems.add(path, "is required");
                    continue;
                }
                if (names.putIfAbsent(channel.name(), i) != null) {
                    problems.add(path + ".name", "duplicate channel '" + channel.name() + "'");
                }
                // Two appenders rolling one file would rename it under each other.
                Integer other = files.putIfAbsent(channel.file(), i);
                if (other != null) {
                    problems.add(path + ".file", "already the file of channel '" + channels.get(other).name() + "'");
                }
            }
        }
        problems.throwIfAny("LoggingConfig");
        channels = List.copyOf(channels);
    }

    /** The section as it is when the file leaves it out: no channels, the standard log4j2 configuration. */
    public static LoggingConfig defaults() {
        return new LoggingConfig(List.of());
    }

    /** Whether the gateway configures logging itself. */
    public boolean enabled() {
        return !channels.isEmpty();
    }

    /** The channel of that name, if configured. */
    public Optional<LogChannelConfig> channel(String name) {
        return channels.stream().filter(c -> c.name().equals(name)).findFirst();
    }
}
