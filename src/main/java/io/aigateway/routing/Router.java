package io.aigateway.routing;

import io.aigateway.registry.Deployment;
import io.aigateway.registry.ModelRoute;
import io.aigateway.registry.Registry;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * The balancers of one registry snapshot, one per model route, and the choice of a deployment among the healthy
 * candidates a request has not tried yet. Built with the snapshot and replaced with it.
 */
public final class Router {
    private final Registry registry;
    private final HealthTracker health;
    private final Map<String, Balancer> balancers = new HashMap<>();

    /**
     * @param strategies the balancing strategy of each public model ({@code routing.strategy}, {@code routing.per_model})
     */
    public Router(Registry registry, HealthTracker health, Function<String, Balancer.Strategy> strategies) {
        this.registry = registry;
        this.health = health;
        for (String model : registry.publicModels()) {
            ModelRoute route = registry.route(model);
            balancers.put(model, strategies.apply(model).forCandidates(route.candidates()));
        }
    }

    public Registry registry() {
        return registry;
    }

    public HealthTracker health() {
        return health;
    }

    /**
     * @param eligible which candidates this request may still go to (not tried yet, able to serve it)
     * @return a healthy eligible deployment chosen by the route's balancer, or null when there is none
     */
    public Deployment choose(ModelRoute route, Predicate<Deployment> eligible) {
        Balancer balancer = balancers.get(route.publicModel());
        if (balancer == null)
            return null;
        // A half-open breaker may refuse the chosen one (its trial permits are taken): choose again without it.
        List<Deployment> refused = null;
        while (true) {
            List<Deployment> excluded = refused;
            Deployment chosen = balancer.choose(d -> eligible.test(d) && health.isAvailable(d)
                && (excluded == null || !excluded.contains(d)));
            if (chosen == null || health.tryAcquire(chosen))
                return chosen;
            if (refused == null)
                refused = new ArrayList<>(2);
            refused.add(chosen);
        }
    }

    /**
     * The first eligible deployment of a fixed list, in order, for requests that must find the one deployment that
     * holds what they ask for (a stored response): health does not decide where that is, so only a deployment an
     * operator disabled is skipped.
     */
    public Deployment chooseInOrder(List<Deployment> candidates, Predicate<Deployment> eligible) {
        for (Deployment deployment : candidates) {
            if (eligible.test(deployment) && !health.isDisabledByOperator(deployment))
                return deployment;
        }
        return null;
    }
}
