package io.aigateway.routing;

import io.aigateway.registry.Deployment;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Predicate;

/** Candidates grouped by {@code priority}, lowest (preferred) first, each tier in config order. */
final class PriorityTiers {
    private PriorityTiers() {
    }

    static List<Deployment[]> of(List<Deployment> candidates) {
        Map<Integer, List<Deployment>> byPriority = new TreeMap<>();
        for (Deployment deployment : candidates)
            byPriority.computeIfAbsent(deployment.priority(), p -> new ArrayList<>()).add(deployment);
        List<Deployment[]> tiers = new ArrayList<>();
        for (List<Deployment> members : byPriority.values())
            tiers.add(members.toArray(Deployment[]::new));
        return List.copyOf(tiers);
    }

    /** The positions of the tier's eligible members, or null when none is. */
    static int[] eligible(Deployment[] tier, Predicate<Deployment> eligible) {
        int[] positions = new int[tier.length];
        int n = 0;
        for (int i = 0; i < tier.length; i++) {
            if (eligible.test(tier[i]))
                positions[n++] = i;
        }
        if (n == 0)
            return null;
        return n == tier.length ? positions : Arrays.copyOf(positions, n);
    }

    /** The live statistics of every member of every tier, in the same positions. */
    static DeploymentStats[][] stats(List<Deployment[]> tiers, DeploymentStatsRegistry registry) {
        DeploymentStats[][] stats = new DeploymentStats[tiers.size()][];
        for (int t = 0; t < stats.length; t++) {
            Deployment[] tier = tiers.get(t);
            stats[t] = new DeploymentStats[tier.length];
            for (int i = 0; i < tier.length; i++)
                stats[t][i] = registry.stats(tier[i]);
        }
        return stats;
    }
}
