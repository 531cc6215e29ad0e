package io.aigateway.config;

import java.time.Duration;

/**
 * The {@code reload} section: how changes reach a running gateway without a restart.
 *
 * @param watch        {@code reload.watch}: whether the config file is watched and reloaded when it changes;
 *                     default true. An invalid file is refused and the running config stays.
 * @param pollInterval {@code reload.poll_interval}: how often the file's modification time and the store's config
 *                     version (changes made through another instance's admin API) are checked; positive, default
 *                     {@code 5s}
 */
public record ReloadConfig(boolean watch, Duration pollInterval) {

    /** A few seconds: admin changes reach every instance quickly without loading the database. */
    public static final Duration DEFAULT_POLL_INTERVAL = Duration.ofSeconds(5);

    /** @throws ConfigException naming each field that breaks its rule */
    public ReloadConfig {
        Problems problems = new Problems();
        Durations.requirePositive(problems, "poll_interval", pollInterval);
        problems.throwIfAny("ReloadConfig");
    }

    public static ReloadConfig defaults() {
        return new ReloadConfig(true, DEFAULT_POLL_INTERVAL);
    }
}
