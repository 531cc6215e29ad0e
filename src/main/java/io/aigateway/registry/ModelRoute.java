package io.aigateway.registry;

import java.util.List;

/**
 * What a public model name (or alias) resolves to: the enabled deployments that may serve it, in config order.
 * An empty list means the model exists but every backend serving it is disabled.
 */
public record ModelRoute(String publicModel, List<Deployment> candidates) {
    public ModelRoute {
        candidates = List.copyOf(candidates);
    }
}
