package io.aigateway.routing;

import io.aigateway.testing.TestClock;
import io.aigateway.config.RoutingStrategy;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.SplittableRandom;

import static io.aigateway.routing.BalancerFixtures.candidates;
import static io.aigateway.routing.BalancerFixtures.deployments;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;

class StrategiesTest {

    @Test
    void eachConfigNameMapsToItsBalancer() {
        TestClock clock = new TestClock(Instant.parse("2025-01-01T00:00:00Z"));
        DeploymentStatsRegistry stats = new DeploymentStatsRegistry(clock);
        var d = candidates(deployments("a:1:0", "b:1:0"));

        assertSame(SmoothWeightedRoundRobin.STRATEGY, Strategies.of(RoutingStrategy.WEIGHTED_ROUND_ROBIN, stats, clock, new SplittableRandom(1)));
        assertInstanceOf(PriorityBalancer.class, Strategies.of(RoutingStrategy.PRIORITY, stats, clock, new SplittableRandom(1)).forCandidates(d));
        assertInstanceOf(LeastBusyBalancer.class, Strategies.of(RoutingStrategy.LEAST_BUSY, stats, clock, new SplittableRandom(1)).forCandidates(d));
        assertInstanceOf(LatencyBalancer.class, Strategies.of(RoutingStrategy.LATENCY, stats, clock, new SplittableRandom(1)).forCandidates(d));
        assertInstanceOf(AdaptiveBalancer.class, Strategies.of(RoutingStrategy.ADAPTIVE, stats, clock, new SplittableRandom(1)).forCandidates(d));
    }
}
