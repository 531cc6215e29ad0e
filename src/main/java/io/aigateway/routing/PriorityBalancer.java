package io.aigateway.routing;

import io.aigateway.registry.Deployment;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.Predicate;

/**
 * Pure failover: the first eligible deployment of the lowest priority tier, in config order. Weights are
 * ignored; the second deployment gets traffic only while the first is not eligible.
 */
public final class PriorityBalancer implements Balancer {
    /** The strategy: one balancer per route. */
    public static final Balancer.Strategy STRATEGY = PriorityBalancer::new;

    private final Deployment[] inOrder;

    public PriorityBalancer(List<Deployment> candidates) {
        List<Deployment> sorted = new ArrayList<>(candidates);
        // List.sort is stable: config order is kept within a tier.
        sorted.sort(Comparator.comparingInt(Deployment::priority));
        this.inOrder = sorted.toArray(Deployment[]::new);
    }

    @Override
    public Deployment choose(Predicate<Deployment> eligible) {
        for (Deployment deployment : inOrder) {
            if (eligible.test(deployment))
                return deployment;
        }
        return null;
    }
}
