package io.aigateway.config;

import java.util.Arrays;
import java.util.Optional;

/** Who may read the Prometheus endpoint: {@code metrics.access}. */
public enum MetricsAccess {
    /** Anyone who can reach the path; restrict it at the network (or the container) if that is too wide. */
    OPEN("open"),
    /** Callers with an admin key ({@code admin.keys}); tenant keys are refused with 403. */
    ADMIN("admin"),
    /** Nobody: the path answers 404 like any unknown one. */
    DISABLED("disabled");

    private final String configName;

    MetricsAccess(String configName) {
        this.configName = configName;
    }

    /** The name used in the config file, e.g. {@code open}. */
    public String configName() {
        return configName;
    }

    /** The access with that config name (exact, lower case), if any. */
    public static Optional<MetricsAccess> fromConfigName(String name) {
        return Arrays.stream(values()).filter(access -> access.configName.equals(name)).findFirst();
    }
}
