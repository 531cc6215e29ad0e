package io.aigateway.routing;

import io.aigateway.testing.TestClock;
import io.aigateway.registry.Deployment;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static io.aigateway.routing.BalancerFixtures.all;
import static io.aigateway.routing.BalancerFixtures.candidates;
import static io.aigateway.routing.BalancerFixtures.counts;
import static io.aigateway.routing.BalancerFixtures.deployments;
import static io.aigateway.routing.BalancerFixtures.except;
import static io.aigateway.routing.BalancerFixtures.name;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class AdaptiveBalancerTest {
    private static final int PICKS_PER_WINDOW = 1_000;

    private final TestClock clock = new TestClock(Instant.parse("2025-01-01T00:00:00Z"));
    private final DeploymentStatsRegistry stats = new DeploymentStatsRegistry(clock);

    @Test
    void healthyDeploymentsShareByConfiguredWeight() {
        Map<String, Deployment> d = deployments("a:3:0", "b:1:0");
        AdaptiveBalancer balancer = balancer(d);

        List<Double> shares = windows(balancer, d, 5, Set.of(), Set.of(), "b");

        for (double share : shares)
            assertEquals(0.25, share, 0.002, shares.toString());
    }

    @Test
    void anErroringDeploymentDrainsGraduallyAndKeepsProbeTraffic() {
        Map<String, Deployment> d = deployments("a:1:0", "b:1:0");
        AdaptiveBalancer balancer = balancer(d);

        List<Double> shares = windows(balancer, d, 12, Set.of("b"), Set.of(), "b");

        assertEquals(0.5, shares.get(0), 0.002, shares.toString());
        for (int w = 1; w <= 6; w++) {
            assertTrue(shares.get(w) < shares.get(w - 1), "falls window after window: " + shares);
            assertTrue(shares.get(w) > shares.get(w - 1) / 2.5, "at most halved per window: " + shares);
        }
        double last = shares.get(shares.size() - 1);
        assertTrue(last > 0.005 && last < 0.02, "settles at the floor, not zero: " + shares);
        assertEquals(AdaptiveBalancer.FLOOR, balancer.effectiveWeight(d.get("b")), 1e-9);
    }

    @Test
    void aRecoveredDeploymentComesBackGradually() {
        Map<String, Deployment> d = deployments("a:1:0", "b:1:0");
        AdaptiveBalancer balancer = balancer(d);
        windows(balancer, d, 12, Set.of("b"), Set.of(), "b");

        List<Double> shares = windows(balancer, d, 16, Set.of(), Set.of(), "b");

        assertTrue(shares.get(0) < 0.02, shares.toString());
        int rising = 0;
        for (int w = 1; w < shares.size(); w++) {
            assertTrue(shares.get(w) <= shares.get(w - 1) * 2.5 + 0.002, "at most doubled per window: " + shares);
            if (shares.get(w) > shares.get(w - 1) + 0.002)
                rising++;
        }
        assertTrue(rising >= 5, "climbs over several windows: " + shares);
        assertEquals(0.5, shares.get(shares.size() - 1), 0.002, shares.toString());
    }

    @Test
    void aSlowDeploymentDrainsGraduallyAndRecoversWhenFastAgain() {
        Map<String, Deployment> d = deployments("a:1:0", "b:1:0");
        AdaptiveBalancer balancer = balancer(d);

        List<Double> draining = windows(balancer, d, 6, Set.of(), Set.of("b"), "b");

        // b at 10s against a at 1s: its target is 1.5 x 1/10 of its weight, reached in halving steps.
        assertEquals(0.5, draining.get(0), 0.002, draining.toString());
        assertTrue(draining.get(1) < 0.5 && draining.get(1) > 0.3, draining.toString());
        assertTrue(draining.get(2) < draining.get(1), draining.toString());
        assertEquals(0.15 / 1.15, draining.get(5), 0.003, draining.toString());

        // Fast again: the peak EWMA decays toward 1s with a 10s time constant, and the weight follows.
        List<Double> recovering = windows(balancer, d, 60, Set.of(), Set.of(), "b");
        assertTrue(recovering.get(5) > draining.get(5) && recovering.get(5) < 0.5, recovering.toString());
        assertEquals(0.5, recovering.get(recovering.size() - 1), 0.002, recovering.toString());
    }

    @Test
    void errorsShiftNothingWhenEveryDeploymentFailsAlike() {
        Map<String, Deployment> d = deployments("a:1:0", "b:1:0");
        AdaptiveBalancer balancer = balancer(d);

        List<Double> shares = windows(balancer, d, 5, Set.of("a", "b"), Set.of(), "b");

        for (double share : shares)
            assertEquals(0.5, share, 0.002, shares.toString());
    }

    @Test
    void weightsAreRecomputedAtMostOncePerInterval() {
        Map<String, Deployment> d = deployments("a:1:0", "b:1:0");
        AdaptiveBalancer balancer = balancer(d);
        for (int i = 0; i < 100; i++)
            stats.stats(d.get("b")).begin(true).failed();

        clock.advance(Duration.ofMillis(999));
        assertEquals(1.0, balancer.effectiveWeight(d.get("b")), 1e-9);
        clock.advance(Duration.ofMillis(1));
        assertEquals(0.5, balancer.effectiveWeight(d.get("b")), 1e-9);
        assertEquals(0.5, balancer.effectiveWeight(d.get("b")), 1e-9);
    }

    @Test
    void aNewBalancerStartsFromTheSharedStatistics() {
        Map<String, Deployment> d = deployments("a:1:0", "b:1:0");
        for (int i = 0; i < 100; i++)
            stats.stats(d.get("b")).begin(true).failed();

        AdaptiveBalancer reloaded = balancer(deployments("a:1:0", "b:1:0"));

        assertEquals(AdaptiveBalancer.FLOOR, reloaded.effectiveWeight(d.get("b")), 1e-9);
    }

    @Test
    void lowerTierOnlyWhenEveryHigherTierDeploymentIsIneligible() {
        Map<String, Deployment> d = deployments("a:1:0", "b:1:0", "backup:1:1");
        for (int i = 0; i < 100; i++) {
            stats.stats(d.get("a")).begin(true).failed();
            stats.stats(d.get("b")).begin(true).failed();
        }
        AdaptiveBalancer balancer = balancer(d);
        clock.advance(Duration.ofSeconds(10));

        assertEquals(Map.of("a", 50, "b", 50), counts(balancer, 100, all()));
        assertEquals(Map.of("backup", 10), counts(balancer, 10, except("a", "b")));
        assertNull(balancer.choose(x -> false));
    }

    @Test
    void survivorsKeepTheirRelativeEffectiveWeights() {
        Map<String, Deployment> d = deployments("a:1:0", "b:1:0", "c:1:0");
        AdaptiveBalancer balancer = balancer(d);
        windows(balancer, d, 3, Set.of("c"), Set.of(), "c");

        // c is at 1/8 of its weight after three halvings; with a out, b and c share 8:1.
        Map<String, Integer> counts = counts(balancer, 900, except("a"));

        assertEquals(800, counts.get("b"), 10, counts.toString());
    }

    private AdaptiveBalancer balancer(Map<String, Deployment> d) {
        return new AdaptiveBalancer(candidates(d), stats, clock, AdaptiveBalancer.DEFAULT_INTERVAL);
    }

    /**
     * Runs windows of one interval each: every pick is a request that fails when its deployment is in
     * {@code failing} and takes 10s to its first byte when it is in {@code slow} (1s otherwise).
     *
     * @return the share of {@code watched} in each window
     */
    private List<Double> windows(Balancer balancer, Map<String, Deployment> d, int windows, Set<String> failing,
                                 Set<String> slow, String watched) {
        List<Double> shares = new ArrayList<>();
        for (int w = 0; w < windows; w++) {
            int hits = 0;
            for (int i = 0; i < PICKS_PER_WINDOW; i++) {
                Deployment chosen = balancer.choose(all());
                DeploymentStats deploymentStats = stats.stats(chosen);
                DeploymentStats.Call call = deploymentStats.begin(true);
                deploymentStats.firstByte(true).record(slow.contains(name(chosen)) ? Duration.ofSeconds(10) : Duration.ofSeconds(1));
                if (failing.contains(name(chosen)))
                    call.failed();
                else
                    call.succeeded();
                if (name(chosen).equals(watched))
                    hits++;
            }
            shares.add((double)hits / PICKS_PER_WINDOW);
            clock.advance(AdaptiveBalancer.DEFAULT_INTERVAL);
        }
        return shares;
    }
}
