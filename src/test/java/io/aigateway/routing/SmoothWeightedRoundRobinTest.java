package io.aigateway.routing;

import io.aigateway.registry.Deployment;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

class SmoothWeightedRoundRobinTest {

    @Test
    void weightsFiveOneOneGiveTheNginxSmoothSequence() {
        Map<String, Deployment> d = BalancerFixtures.deployments("a:5:0", "b:1:0", "c:1:0");
        Balancer balancer = balancerOf(d);

        assertEquals(List.of("a", "a", "b", "a", "c", "a", "a"), picks(balancer, 7, all()));
    }

    @Test
    void weightsFiveOneOneRepeatTheSameCycle() {
        Balancer balancer = balancerOf(BalancerFixtures.deployments("a:5:0", "b:1:0", "c:1:0"));

        List<String> sequence = picks(balancer, 7 * 3, all());

        List<String> cycle = List.of("a", "a", "b", "a", "c", "a", "a");
        for (int start = 0; start < sequence.size(); start += 7) {
            assertEquals(cycle, sequence.subList(start, start + 7), "cycle starting at pick " + start);
        }
    }

    @Test
    void countsOverWholeCyclesMatchTheWeightsExactly() {
        Balancer balancer = balancerOf(BalancerFixtures.deployments("a:5:0", "b:1:0", "c:1:0"));

        Map<String, Integer> counts = counts(picks(balancer, 7 * 1_000, all()));

        assertEquals(Map.of("a", 5_000, "b", 1_000, "c", 1_000), counts);
    }

    @Test
    void equalWeightsAlternate() {
        Balancer balancer = balancerOf(BalancerFixtures.deployments("a:1:0", "b:1:0"));

        assertEquals(List.of("a", "b", "a", "b", "a", "b"), picks(balancer, 6, all()));
    }

    @Test
    void equalWeightsAboveOneAlsoAlternate() {
        Balancer balancer = balancerOf(BalancerFixtures.deployments("a:4:0", "b:4:0", "c:4:0"));

        assertEquals(List.of("a", "b", "c", "a", "b", "c"), picks(balancer, 6, all()));
    }

    @Test
    void lowerPriorityTierIsNotUsedWhileAnyHigherTierDeploymentIsEligible() {
        Balancer balancer = balancerOf(BalancerFixtures.deployments("a:1:0", "b:1:0", "backup:100:1"));

        assertEquals(Map.of("a", 50, "b", 50), counts(picks(balancer, 100, all())));
        assertEquals(Map.of("b", 100), counts(picks(balancer, 100, except("a"))));
    }

    @Test
    void lowerPriorityTierIsUsedOnlyWhenEveryHigherTierDeploymentIsIneligible() {
        Balancer balancer = balancerOf(BalancerFixtures.deployments("a:1:0", "b:1:0", "backup:1:1", "last:1:2"));

        assertEquals(Map.of("backup", 10), counts(picks(balancer, 10, except("a", "b"))));
        assertEquals(Map.of("last", 10), counts(picks(balancer, 10, except("a", "b", "backup"))));
    }

    @Test
    void survivorsKeepTheirRelativeWeightsWhenOneIsIneligible() {
        Balancer balancer = balancerOf(BalancerFixtures.deployments("a:3:0", "b:1:0", "c:1:0"));

        List<String> sequence = picks(balancer, 10, except("a"));

        assertEquals(Map.of("b", 5, "c", 5), counts(sequence));
        for (int i = 1; i < sequence.size(); i++) {
            assertNotEquals(sequence.get(i - 1), sequence.get(i), "b and c alternate: " + sequence);
        }
    }

    @Test
    void survivorsKeepUnequalRelativeWeights() {
        Balancer balancer = balancerOf(BalancerFixtures.deployments("a:5:0", "b:2:0", "c:1:0"));

        Map<String, Integer> counts = counts(picks(balancer, 3 * 100, except("a")));

        assertEquals(Map.of("b", 200, "c", 100), counts);
    }

    @Test
    void returnsToFullWeightsWhenTheDeploymentIsEligibleAgain() {
        Balancer balancer = balancerOf(BalancerFixtures.deployments("a:3:0", "b:1:0"));
        picks(balancer, 3, except("a"));

        Map<String, Integer> counts = counts(picks(balancer, 4 * 100, all()));

        assertEquals(Map.of("a", 300, "b", 100), counts);
    }

    @Test
    void returnsNullWhenNothingIsEligible() {
        Balancer balancer = balancerOf(BalancerFixtures.deployments("a:1:0", "b:2:0", "backup:1:1"));

        assertNull(balancer.choose(d -> false));
    }

    @Test
    void returnsNullForNoCandidates() {
        assertNull(new SmoothWeightedRoundRobin(List.of()).choose(d -> true));
    }

    @Test
    void singleCandidateIsAlwaysChosenWhileEligible() {
        Map<String, Deployment> d = BalancerFixtures.deployments("only:7:0");
        Balancer balancer = balancerOf(d);

        for (int i = 0; i < 5; i++) {
            assertSame(d.get("only"), balancer.choose(x -> true));
        }
        assertNull(balancer.choose(x -> false));
    }

    @Test
    void strategyMakesABalancerOverTheGivenCandidates() {
        Map<String, Deployment> d = BalancerFixtures.deployments("a:1:0", "b:1:0");

        Balancer balancer = SmoothWeightedRoundRobin.STRATEGY.forCandidates(new ArrayList<>(d.values()));

        assertEquals(List.of("a", "b"), picks(balancer, 2, all()));
    }

    @Test
    void concurrentPicksOverWholeCyclesKeepTheExactRatio() throws Exception {
        Balancer balancer = balancerOf(BalancerFixtures.deployments("a:3:0", "b:1:0"));
        int threads = 8;
        int picksPerThread = 10_000;
        CountDownLatch start = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<Map<String, Integer>>> results = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                Callable<Map<String, Integer>> task = () -> {
                    start.await();
                    return counts(picks(balancer, picksPerThread, all()));
                };
                results.add(pool.submit(task));
            }
            start.countDown();
            Map<String, Integer> total = new HashMap<>();
            for (Future<Map<String, Integer>> result : results) {
                result.get(10, TimeUnit.SECONDS).forEach((name, n) -> total.merge(name, n, Integer::sum));
            }

            assertEquals(Map.of("a", 60_000, "b", 20_000), total);
        } finally {
            pool.shutdownNow();
        }
    }

    private static Balancer balancerOf(Map<String, Deployment> deployments) {
        return new SmoothWeightedRoundRobin(new ArrayList<>(deployments.values()));
    }

    private static Predicate<Deployment> all() {
        return d -> true;
    }

    private static Predicate<Deployment> except(String... backends) {
        Set<String> excluded = Set.of(backends);
        return d -> !excluded.contains(d.backend().name());
    }

    private static List<String> picks(Balancer balancer, int n, Predicate<Deployment> eligible) {
        List<String> names = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            names.add(balancer.choose(eligible).backend().name());
        }
        return names;
    }

    private static Map<String, Integer> counts(List<String> names) {
        Map<String, Integer> counts = new HashMap<>();
        for (String name : names) {
            counts.merge(name, 1, Integer::sum);
        }
        return counts;
    }
}
