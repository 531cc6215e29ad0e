package io.aigateway.routing;

import io.aigateway.registry.Deployment;

import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The live statistics of every deployment, keyed by {@link Deployment#id()}: a reload builds new deployments and
 * new balancers, and they find the statistics the old ones gathered. Thread-safe.
 */
public final class DeploymentStatsRegistry {
    private final Clock clock;
    private final Duration decay;
    private final Map<String, DeploymentStats> byId = new ConcurrentHashMap<>();

    public DeploymentStatsRegistry(Clock clock) {
        this(clock, FirstByteStats.DEFAULT_DECAY);
    }

    /** @param decay the time constant of the latency and success-rate EWMAs */
    public DeploymentStatsRegistry(Clock clock, Duration decay) {
        this.clock = clock;
        this.decay = decay;
    }

    public Clock clock() {
        return clock;
    }

    /** The statistics of the deployment, created empty on first use. */
    public DeploymentStats stats(Deployment deployment) {
        DeploymentStats stats = byId.get(deployment.id());
        return stats != null ? stats : byId.computeIfAbsent(deployment.id(), id -> new DeploymentStats(clock, decay));
    }
}
