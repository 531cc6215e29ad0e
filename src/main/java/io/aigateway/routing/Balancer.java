package io.aigateway.routing;

import io.aigateway.registry.Deployment;

import java.util.List;
import java.util.function.Predicate;

/**
 * Picks one deployment for a request among a model's candidates. A strategy makes one {@code Balancer} per model
 * route and keeps whatever state it needs inside it.
 */
public interface Balancer {
    /**
     * @param eligible which candidates may be chosen now (healthy, not yet tried by this request)
     * @return the chosen deployment, or null when no candidate is eligible
     */
    Deployment choose(Predicate<Deployment> eligible);

    /** Makes the balancer of one route. */
    interface Strategy {
        Balancer forCandidates(List<Deployment> candidates);
    }
}
