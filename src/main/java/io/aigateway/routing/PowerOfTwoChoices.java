package io.aigateway.routing;

import io.aigateway.registry.Deployment;

import java.util.List;
import java.util.function.Predicate;
import java.util.random.RandomGenerator;

/**
 * The shape shared by the load-aware balancers: within the lowest priority tier that has an eligible deployment,
 * two distinct eligible members drawn at random, and the subclass's comparison picks one. Comparing two rather than
 * scanning for the best keeps a burst of simultaneous picks from all landing on the same deployment.
 */
abstract class PowerOfTwoChoices implements Balancer {
    protected final List<Deployment[]> tiers;
    protected final DeploymentStats[][] stats;
    private final RandomGenerator random;

    /** @param random shared by every request, so it must be safe for concurrent use (ThreadLocalRandom.current()) */
    protected PowerOfTwoChoices(List<Deployment> candidates, DeploymentStatsRegistry registry, RandomGenerator random) {
        this.tiers = PriorityTiers.of(candidates);
        this.stats = PriorityTiers.stats(tiers, registry);
        this.random = random;
    }

    @Override
    public final Deployment choose(Predicate<Deployment> eligible) {
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
            return tier[pick(t, positions, positions[first], positions[second])];
        }
        return null;
    }

    /**
     * @param tier      the tier's index in {@link #tiers} and {@link #stats}
     * @param positions every eligible member of the tier, for comparisons that need the whole tier's context
     * @return {@code a} or {@code b}; a tie should go to {@code a}, itself random
     */
    protected abstract int pick(int tier, int[] positions, int a, int b);
}
