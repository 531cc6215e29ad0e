package io.aigateway.routing;

import io.aigateway.testing.TestClock;
import io.aigateway.registry.Deployment;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.Predicate;

import static io.aigateway.routing.BalancerFixtures.all;
import static io.aigateway.routing.BalancerFixtures.candidates;
import static io.aigateway.routing.BalancerFixtures.counts;
import static io.aigateway.routing.BalancerFixtures.deployments;
import static io.aigateway.routing.BalancerFixtures.except;
import static io.aigateway.routing.BalancerFixtures.name;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LeastBusyBalancerTest {
    private final TestClock clock = new TestClock(Instant.parse("2025-01-01T00:00:00Z"));
    private final DeploymentStatsRegistry stats = new DeploymentStatsRegistry(clock);

    @Test
    void prefersTheLessLoadedOfTwo() {
        Map<String, Deployment> d = deployments("a:1:0", "b:1:0");
        hold(d.get("a"), 5);

        assertEquals(Map.of("b", 100), counts(balancer(d, 1), 100, all()));
    }

    @Test
    void neverPicksTheBusiestOfThreeWhileTheOthersAreIdle() {
        Map<String, Deployment> d = deployments("a:1:0", "b:1:0", "c:1:0");
        hold(d.get("a"), 3);

        Map<String, Integer> counts = counts(balancer(d, 2), 3_000, all());

        assertFalse(counts.containsKey("a"), counts.toString());
        assertTrue(counts.get("b") > 1_200 && counts.get("c") > 1_200, counts.toString());
    }

    @Test
    void spreadsEvenlyWhenRequestsStayInFlight() {
        Map<String, Deployment> d = deployments("a:1:0", "b:1:0", "c:1:0");
        Balancer balancer = balancer(d, 3);

        Map<String, Integer> counts = pickAndHold(balancer, 300, all());

        for (String name : d.keySet())
            assertTrue(Math.abs(counts.get(name) - 100) <= 5, counts.toString());
    }

    @Test
    void spreadsEvenlyWhenAllAreIdle() {
        Map<String, Deployment> d = deployments("a:1:0", "b:1:0", "c:1:0");

        Map<String, Integer> counts = counts(balancer(d, 4), 3_000, all());

        for (String name : d.keySet())
            assertTrue(Math.abs(counts.get(name) - 1_000) <= 100, counts.toString());
    }

    @Test
    void loadIsMeasuredPerUnitOfWeight() {
        Map<String, Deployment> d = deployments("a:2:0", "b:1:0");

        Map<String, Integer> counts = pickAndHold(balancer(d, 5), 300, all());

        assertTrue(Math.abs(counts.get("a") - 200) <= 5, counts.toString());
    }

    @Test
    void lowerTierOnlyWhenEveryHigherTierDeploymentIsIneligible() {
        Map<String, Deployment> d = deployments("a:1:0", "b:1:0", "backup:1:1");
        hold(d.get("a"), 50);
        hold(d.get("b"), 50);
        Balancer balancer = balancer(d, 6);

        assertFalse(counts(balancer, 100, all()).containsKey("backup"), "idle backup stays unused while a, b are eligible");
        assertEquals(Map.of("backup", 10), counts(balancer, 10, except("a", "b")));
    }

    @Test
    void oneEligibleMemberIsChosenAndNoneGivesNull() {
        Map<String, Deployment> d = deployments("a:1:0", "b:1:0");
        hold(d.get("a"), 5);
        Balancer balancer = balancer(d, 7);

        assertSame(d.get("a"), balancer.choose(except("b")));
        assertNull(balancer.choose(x -> false));
    }

    private Balancer balancer(Map<String, Deployment> d, long seed) {
        return Strategies.of(io.aigateway.config.RoutingStrategy.LEAST_BUSY, stats, clock, new SplittableRandom(seed))
            .forCandidates(candidates(d));
    }

    private void hold(Deployment deployment, int requests) {
        for (int i = 0; i < requests; i++)
            stats.stats(deployment).begin(true);
    }

    private Map<String, Integer> pickAndHold(Balancer balancer, int picks, Predicate<Deployment> eligible) {
        Map<String, Integer> counts = new HashMap<>();
        for (int i = 0; i < picks; i++) {
            Deployment chosen = balancer.choose(eligible);
            stats.stats(chosen).begin(true);
            counts.merge(name(chosen), 1, Integer::sum);
        }
        return counts;
    }
}
