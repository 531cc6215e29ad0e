package io.aigateway.routing;

import io.aigateway.registry.Deployment;

import java.util.List;
import java.util.random.RandomGenerator;

/**
 * Within the lowest priority tier that has an eligible deployment, the power of two choices: two distinct eligible
 * members at random, and of those the one with fewer requests in flight per unit of weight. Comparing two rather
 * than scanning for the minimum keeps a burst of simultaneous picks from all landing on the same idle deployment.
 */
public final class LeastBusyBalancer extends PowerOfTwoChoices {
    /** @param random shared by every request, so it must be safe for concurrent use (ThreadLocalRandom.current()) */
    public LeastBusyBalancer(List<Deployment> candidates, DeploymentStatsRegistry registry, RandomGenerator random) {
        super(candidates, registry, random);
    }

    /** The strategy: one balancer per route, all reading the same statistics. */
    public static Balancer.Strategy strategy(DeploymentStatsRegistry registry, RandomGenerator random) {
        return candidates -> new LeastBusyBalancer(candidates, registry, random);
    }

    @Override
    protected int pick(int t, int[] positions, int a, int b) {
        Deployment[] tier = tiers.get(t);
        // inFlight(b) / weight(b) < inFlight(a) / weight(a), without division.
        long loadA = (long)stats[t][a].inFlight() * tier[b].weight();
        long loadB = (long)stats[t][b].inFlight() * tier[a].weight();
        return loadB < loadA ? b : a;
    }
}
