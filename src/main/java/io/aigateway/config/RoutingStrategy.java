package io.aigateway.config;

import java.util.Arrays;
import java.util.Optional;

/** How the gateway picks among the deployments that serve a model: {@code routing.strategy} and its overrides. */
public enum RoutingStrategy {
    /** Each deployment of the best available priority in turn, in proportion to its weight. */
    WEIGHTED_ROUND_ROBIN("weighted-round-robin"),
    /** Always the deployment with the lowest priority (then the first in the file) that is available. */
    PRIORITY("priority"),
    /** The deployment with the fewest requests in flight, relative to its weight. */
    LEAST_BUSY("least-busy"),
    /** The deployment with the lowest recent time to first byte. */
    LATENCY("latency"),
    /** Weights that follow each deployment's recent successes, latency and load. */
    ADAPTIVE("adaptive");

    private final String configName;

    RoutingStrategy(String configName) {
        this.configName = configName;
    }

    /** The name used in the config file, e.g. {@code weighted-round-robin}. */
    public String configName() {
        return configName;
    }

    /** The strategy with that config name (exact, lower case), if any. */
    public static Optional<RoutingStrategy> fromConfigName(String name) {
        return Arrays.stream(values()).filter(strategy -> strategy.configName.equals(name)).findFirst();
    }
}
