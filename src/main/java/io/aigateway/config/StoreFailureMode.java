package io.aigateway.config;

import java.util.Optional;

/** {@code limits.on_store_failure}: what admission does when the limit store (Redis) cannot be reached. */
public enum StoreFailureMode {
    /** Admit under this instance's own in-process limits (the same numbers, counted locally) until the store is back. */
    FAIL_OPEN("fail-open"),
    /** Refuse with 503 until the store is back. */
    FAIL_CLOSED("fail-closed");

    private final String configName;

    StoreFailureMode(String configName) {
        this.configName = configName;
    }

    public String configName() {
        return configName;
    }

    public static Optional<StoreFailureMode> fromConfigName(String name) {
        for (StoreFailureMode mode : values()) {
            if (mode.configName.equals(name)) {
                return Optional.of(mode);
            }
        }
        return Optional.empty();
    }
}
