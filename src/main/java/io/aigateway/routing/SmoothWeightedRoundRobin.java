package io.aigateway.routing;

import io.aigateway.registry.Deployment;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;

/**
 * Lowest {@code priority} first; within a priority tier, smooth weighted round robin (nginx's algorithm: weights
 * 5,1,1 give a,a,b,a,c,a,a rather than a,a,a,a,a,b,c).
 *
 * <p>Lock-free: the smooth sequence for each set of eligible deployments is computed once and cached by a bit
 * mask; choosing is an atomic increment and an array read. When a deployment drops out, the sequence over the
 * remaining ones takes over, so the survivors keep their relative weights.
 */
public final class SmoothWeightedRoundRobin implements Balancer {
    /** The strategy: one balancer per route. */
    public static final Balancer.Strategy STRATEGY = SmoothWeightedRoundRobin::new;

    private final List<Tier> tiers;

    public SmoothWeightedRoundRobin(List<Deployment> candidates) {
        Map<Integer, List<Deployment>> byPriority = new TreeMap<>();
        for (Deployment deployment : candidates)
            byPriority.computeIfAbsent(deployment.priority(), p -> new ArrayList<>()).add(deployment);
        List<Tier> list = new ArrayList<>();
        for (List<Deployment> members : byPriority.values())
            list.add(new Tier(members));
        this.tiers = List.copyOf(list);
    }

    @Override
    public Deployment choose(Predicate<Deployment> eligible) {
        for (Tier tier : tiers) {
            Deployment chosen = tier.choose(eligible);
            if (chosen != null)
                return chosen;
        }
        return null;
    }

    private static final class Tier {
        /** Masks are longs; a tier with more members falls back to skipping ineligible ones in the full sequence. */
        private static final int MAX_MASKED = 64;

        private final Deployment[] members;
        private final int[] weights;
        private final Map<Long, int[]> sequences = new ConcurrentHashMap<>();
        private final int[] fullSequence;
        private final AtomicLong counter = new AtomicLong();

        Tier(List<Deployment> members) {
            this.members = members.toArray(Deployment[]::new);
            this.weights = new int[this.members.length];
            for (int i = 0; i < weights.length; i++)
                weights[i] = this.members[i].weight();
            this.fullSequence = sequence(allMask());
        }

        Deployment choose(Predicate<Deployment> eligible) {
            int n = members.length;
            if (n == 1)
                return eligible.test(members[0]) ? members[0] : null;
            if (n > MAX_MASKED)
                return chooseUnmasked(eligible);
            long mask = 0;
            for (int i = 0; i < n; i++) {
                if (eligible.test(members[i]))
                    mask |= 1L << i;
            }
            if (mask == 0)
                return null;
            int[] sequence = mask == allMask() ? fullSequence : sequences.computeIfAbsent(mask, this::sequence);
            return members[sequence[(int)Math.floorMod(counter.getAndIncrement(), (long)sequence.length)]];
        }

        private Deployment chooseUnmasked(Predicate<Deployment> eligible) {
            long start = counter.getAndIncrement();
            for (int step = 0; step < fullSequence.length; step++) {
                Deployment candidate = members[fullSequence[(int)Math.floorMod(start + step, (long)fullSequence.length)]];
                if (eligible.test(candidate))
                    return candidate;
            }
            return null;
        }

        private long allMask() {
            return members.length >= 64 ? -1L : (1L << members.length) - 1;
        }

        private int[] sequence(long mask) {
            return SmoothSequence.of(weights, mask);
        }
    }
}
