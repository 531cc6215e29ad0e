package io.aigateway.health;

import io.aigateway.registry.Backend;
import io.aigateway.registry.Deployment;
import io.aigateway.registry.Registry;
import io.aigateway.routing.HealthTracker;
import io.aigateway.store.StoreHealth;
import io.aigateway.webapp.Gateway;

/**
 * Whether the gateway can serve a request now: its config is loaded, its store (when it has one) was reachable the
 * last time anything talked to it, and at least one deployment of an enabled backend is available (breaker not open,
 * not resting, not flagged, checks passing). Reads memory only: never the database.
 *
 * @param ready  whether it is
 * @param reason why not, for the operator; null when ready
 */
public record Readiness(boolean ready, String reason) {

    /** Ready. */
    public static final Readiness READY = new Readiness(true, null);

    /** The readiness of a running gateway, or of none (null: the config was not loaded). */
    public static Readiness of(Gateway gateway) {
        return of(gateway, null);
    }

    /**
     * The same, with the store's last known state (null: the gateway has no store). While the store is away the
     * gateway still serves from memory, but an instance whose admin API and request log cannot work is not ready.
     */
    public static Readiness of(Gateway gateway, StoreHealth store) {
        if (gateway == null)
            return new Readiness(false, "the configuration is not loaded");
        if (store != null && !store.reachable())
            return new Readiness(false, "the store is unreachable since " + store.since()
                + " (requests are served from memory; request log rows are queued)");
        Registry registry = gateway.registry();
        HealthTracker health = gateway.health();
        int enabledBackends = 0;
        int deployments = 0;
        for (Backend backend : registry.backends()) {
            if (!backend.config().enabled())
                continue;
            enabledBackends++;
            for (Deployment deployment : backend.deployments()) {
                if (health.isAvailable(deployment))
                    return READY;
                deployments++;
            }
        }
        if (registry.backends().isEmpty())
            return new Readiness(false, "no backend is configured");
        if (enabledBackends == 0)
            return new Readiness(false, "every backend is disabled");
        return new Readiness(false, "none of the " + deployments + " deployments of the " + enabledBackends
            + " enabled backends is available (circuit open, resting after a rate limit or connection failure, "
            + "flagged, or failing health checks)");
    }
}
