package io.aigateway.routing;

import io.aigateway.registry.Deployment;

import java.util.List;
import java.util.function.Predicate;
import java.util.random.RandomGenerator;

/**
 * Within the lowest priority tier that has an eligible deployment, the power of two choices: two distinct eligible
 * members at random, and of those the one with fewer requests in flight per unit of weight. Comparing two rather
 * than scanning for the minimum keeps a burst of simultaneous picks from all landing on the same idle deployment.
 */
public final class LeastBusyBalancer implements Balancer {
    private final List<Deployment[]> tiers;
    private final DeploymentStats[][] stats;
    private final RandomGenerator random;

    /** @param random shared by every request, so it must be safe for concurrent use (ThreadLocalRandom.current()) */
    public LeastBusyBalancer(List<Deployment> candidates, DeploymentStatsRegistry registry, RandomGenerator random) {
        this.tiers = PriorityTiers.of(candidates);
        this.stats = PriorityTiers.stats(tiers, registry);
        this.random = random;
    }

    /** The strategy: one balancer per route, all reading the same statistics. */
    public static Balancer.Strategy strategy(DeploymentStatsRegistry registry, RandomGenerator random) {
        return candidates -> new LeastBusyBalancer(candidates, registry, random);
    }

    @Override
    public Deployment choose(Predicate<Deployment> eligible) {
        for (int t = 0; t < stats.length; t++) {
            Deployment[] tier = tiers.get(t);
            int[] positions = PriorityTiers.eligible(tier, eligible);
            if (positions == null)
                continue;
            if (positions.length == 1)
                return tier[positions[0]];
            int first = random.nextInt(positions.length);
            int second = random.nextInt(positions.length - 1);
            if (second >= first)
                second++;
            int a = positions[first];
            int b = positions[second];
            // inFlight(b) / weight(b) < inFlight(a) / weight(a), without division; a tie goes to a, itself random.
            long loadA = (long)stats[t][a].inFlight() * tier[b].weight();
            long loadB = (long)stats[t][b].inFlight() * tier[a].weight();
            return tier[loadB < loadA ? b : a];
        }
        return null;
    }
}
