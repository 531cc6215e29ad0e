package io.aigateway.routing;

import io.aigateway.registry.Deployment;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static io.aigateway.routing.BalancerFixtures.all;
import static io.aigateway.routing.BalancerFixtures.candidates;
import static io.aigateway.routing.BalancerFixtures.counts;
import static io.aigateway.routing.BalancerFixtures.deployments;
import static io.aigateway.routing.BalancerFixtures.except;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

class PriorityBalancerTest {

    @Test
    void alwaysTheFirstDeploymentOfTheLowestTierInConfigOrderWhateverTheWeights() {
        Balancer balancer = new PriorityBalancer(candidates(deployments("backup:100:1", "a:1:0", "b:50:0")));

        assertEquals(Map.of("a", 100), counts(balancer, 100, all()));
    }

    @Test
    void failsOverWithinTheTierInConfigOrder() {
        Balancer balancer = new PriorityBalancer(candidates(deployments("a:1:0", "b:1:0", "c:1:0", "backup:1:1")));

        assertEquals(Map.of("b", 10), counts(balancer, 10, except("a")));
        assertEquals(Map.of("c", 10), counts(balancer, 10, except("a", "b")));
    }

    @Test
    void lowerTierOnlyWhenEveryHigherTierDeploymentIsIneligible() {
        Balancer balancer = new PriorityBalancer(candidates(deployments("a:1:0", "b:1:0", "backup:1:1", "last:1:2")));

        assertEquals(Map.of("backup", 10), counts(balancer, 10, except("a", "b")));
        assertEquals(Map.of("last", 10), counts(balancer, 10, except("a", "b", "backup")));
    }

    @Test
    void returnsNullWhenNothingIsEligibleOrThereAreNoCandidates() {
        Map<String, Deployment> d = deployments("a:1:0", "backup:1:1");

        assertNull(new PriorityBalancer(candidates(d)).choose(x -> false));
        assertNull(new PriorityBalancer(List.of()).choose(x -> true));
    }
}
