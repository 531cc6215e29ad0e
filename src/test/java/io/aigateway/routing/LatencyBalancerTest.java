package io.aigateway.routing;

import io.aigateway.testing.TestClock;
import io.aigateway.registry.Deployment;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.Predicate;

import static io.aigateway.routing.BalancerFixtures.all;
import static io.aigateway.routing.BalancerFixtures.candidates;
import static io.aigateway.routing.BalancerFixtures.deployments;
import static io.aigateway.routing.BalancerFixtures.except;
import static io.aigateway.routing.BalancerFixtures.name;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LatencyBalancerTest {
    private final TestClock clock = new TestClock(Instant.parse("2025-01-01T00:00:00Z"));
    private final DeploymentStatsRegistry stats = new DeploymentStatsRegistry(clock);

    @Test
    void prefersTheFasterAndStillTriesAnUnknownOne() {
        Map<String, Deployment> d = deployments("fast:1:0", "slow:1:0", "unknown:1:0");
        sample(d.get("fast"), Duration.ofMillis(100));
        sample(d.get("slow"), Duration.ofMillis(1_000));

        Map<String, Integer> counts = pickAndFinish(balancer(d, 1), 3_000, all());

        // Pairs: fast beats both others; unknown, charged the mean (550ms), beats slow.
        assertFalse(counts.containsKey("slow"), counts.toString());
        assertTrue(counts.get("fast") > 1_800, counts.toString());
        assertTrue(counts.get("unknown") > 800, counts.toString());
    }

    @Test
    void anUnknownDeploymentIsChargedTheMeanSoItGetsTried() {
        Map<String, Deployment> d = deployments("known:1:0", "unknown:1:0");
        sample(d.get("known"), Duration.ofMillis(300));

        Map<String, Integer> counts = pickAndFinish(balancer(d, 2), 1_000, all());

        assertTrue(counts.get("unknown") > 400, counts.toString());
    }

    @Test
    void aLoadedFastDeploymentLosesToAnIdleSlowerOne() {
        Map<String, Deployment> d = deployments("fast:1:0", "slow:1:0");
        sample(d.get("fast"), Duration.ofMillis(100));
        sample(d.get("slow"), Duration.ofMillis(1_000));
        for (int i = 0; i < 20; i++)
            stats.stats(d.get("fast")).begin(true);

        // fast costs 100ms x 21 in flight, slow 1s x 1.
        assertEquals(Map.of("slow", 50), pickAndFinish(balancer(d, 3), 50, all()));
    }

    @Test
    void aDeploymentThatWasSlowOnceIsProbedAgainAfterBeingIdle() {
        Map<String, Deployment> d = deployments("fast:1:0", "slow:1:0");
        sample(d.get("fast"), Duration.ofMillis(100));
        sample(d.get("slow"), Duration.ofSeconds(30));
        Balancer balancer = balancer(d, 4);
        assertEquals(Map.of("fast", 50), pickAndFinish(balancer, 50, all()));

        // Both estimates decay alike while idle; a fresh sample on fast leaves slow decayed below it.
        clock.advance(Duration.ofSeconds(60));
        sample(d.get("fast"), Duration.ofMillis(100));

        assertEquals(Map.of("slow", 50), pickAndFinish(balancer, 50, all()));
    }

    @Test
    void streamingAndNonStreamingLatenciesAreNotCompared() {
        Map<String, Deployment> d = deployments("a:1:0", "b:1:0");
        // a has a long non-streaming answer on record, b a quick stream: most members have streaming samples,
        // so a is judged as unknown on streams, not as slow.
        stats.stats(d.get("a")).firstByte(false).record(Duration.ofSeconds(40));
        sample(d.get("b"), Duration.ofMillis(200));

        Map<String, Integer> counts = pickAndFinish(balancer(d, 5), 1_000, all());

        assertTrue(counts.get("a") > 400, counts.toString());
    }

    @Test
    void weightDividesTheCost() {
        Map<String, Deployment> d = deployments("big:4:0", "small:1:0");
        sample(d.get("big"), Duration.ofMillis(300));
        sample(d.get("small"), Duration.ofMillis(100));

        // big costs 300ms / 4, small 100ms / 1.
        assertEquals(Map.of("big", 50), pickAndFinish(balancer(d, 6), 50, all()));
    }

    @Test
    void lowerTierOnlyWhenEveryHigherTierDeploymentIsIneligible() {
        Map<String, Deployment> d = deployments("a:1:0", "b:1:0", "backup:1:1");
        sample(d.get("a"), Duration.ofSeconds(20));
        sample(d.get("b"), Duration.ofSeconds(20));
        sample(d.get("backup"), Duration.ofMillis(10));
        Balancer balancer = balancer(d, 7);

        assertFalse(pickAndFinish(balancer, 100, all()).containsKey("backup"));
        assertEquals(Map.of("backup", 10), pickAndFinish(balancer, 10, except("a", "b")));
        assertNull(balancer.choose(x -> false));
    }

    private Balancer balancer(Map<String, Deployment> d, long seed) {
        return Strategies.of(io.aigateway.config.RoutingStrategy.LATENCY, stats, clock, new SplittableRandom(seed))
            .forCandidates(candidates(d));
    }

    private void sample(Deployment deployment, Duration firstByte) {
        stats.stats(deployment).firstByte(true).record(firstByte);
    }

    /** Picks and ends each request at once (no new samples), so load stays at zero. */
    private Map<String, Integer> pickAndFinish(Balancer balancer, int picks, Predicate<Deployment> eligible) {
        Map<String, Integer> counts = new HashMap<>();
        for (int i = 0; i < picks; i++) {
            Deployment chosen = balancer.choose(eligible);
            stats.stats(chosen).begin(true).abandoned();
            counts.merge(name(chosen), 1, Integer::sum);
        }
        return counts;
    }
}
