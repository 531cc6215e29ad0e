package io.aigateway.routing;

import io.aigateway.config.RoutingStrategy;

import java.time.Clock;
import java.util.random.RandomGenerator;

/** The balancer strategy each {@code routing.strategy} name stands for. */
public final class Strategies {
    private Strategies() {
    }

    /**
     * @param stats  the statistics every strategy that looks at load, latency or errors reads
     * @param random for the strategies that sample; shared by every request, so it must be safe for concurrent use
     *               ({@code ThreadLocalRandom.current()} in production, a seeded generator in single-threaded tests)
     */
    public static Balancer.Strategy of(RoutingStrategy strategy, DeploymentStatsRegistry stats, Clock clock,
                                       RandomGenerator random) {
        return switch (strategy) {
            case WEIGHTED_ROUND_ROBIN -> SmoothWeightedRoundRobin.STRATEGY;
            case PRIORITY -> PriorityBalancer.STRATEGY;
            case LEAST_BUSY -> LeastBusyBalancer.strategy(stats, random);
            case LATENCY -> LatencyBalancer.strategy(stats, random);
            case ADAPTIVE -> AdaptiveBalancer.strategy(stats, clock);
        };
    }
}
