package io.aigateway.config;

import java.util.Locale;
import java.util.Optional;

/** {@code limits.store}: where rate-limit windows, concurrency counters and quota counters are kept. */
public enum LimitStoreType {
    /**
     * In this process: exact for one gateway instance; quota counters persisted in the store when there is one, else
     * to {@code limits.state_file}.
     */
    LOCAL,
    /** In Redis ({@code limits.redis.url}): one limit shared exactly by every gateway instance. */
    REDIS;

    public String configName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Optional<LimitStoreType> fromConfigName(String name) {
        for (LimitStoreType type : values()) {
            if (type.configName().equals(name)) {
                return Optional.of(type);
            }
        }
        return Optional.empty();
    }
}
