package io.aigateway.webapp;

import io.aigateway.config.GatewayConfig;
import io.aigateway.registry.Registry;
import io.aigateway.routing.Balancer;
import io.aigateway.routing.CooldownHealthTracker;
import io.aigateway.routing.HealthTracker;
import io.aigateway.routing.RetryPolicy;
import io.aigateway.routing.Router;
import io.aigateway.routing.SmoothWeightedRoundRobin;

import java.time.Clock;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The running gateway: the current routing snapshot (registry and balancers, swapped as one), deployment health
 * (kept across snapshots) and the policies requests follow. One per web application.
 */
public final class Gateway {
    /** The servlet context attribute that holds the gateway. */
    public static final String ATTRIBUTE = Gateway.class.getName();

    private final Clock clock;
    private final HealthTracker health;
    private final Balancer.Strategy strategy;
    private final RetryPolicy retryPolicy;
    private final AtomicReference<Router> router = new AtomicReference<>();

    public Gateway(GatewayConfig config, Clock clock) {
        this(config, clock, new CooldownHealthTracker(clock, CooldownHealthTracker.DEFAULT_COOLDOWN),
            SmoothWeightedRoundRobin.STRATEGY, RetryPolicy.DEFAULT);
    }

    public Gateway(GatewayConfig config, Clock clock, HealthTracker health, Balancer.Strategy strategy, RetryPolicy retryPolicy) {
        this.clock = Objects.requireNonNull(clock);
        this.health = Objects.requireNonNull(health);
        this.strategy = Objects.requireNonNull(strategy);
        this.retryPolicy = Objects.requireNonNull(retryPolicy);
        apply(config);
    }

    /** Replaces the snapshot. Requests in flight finish on the one they started with. */
    public void apply(GatewayConfig config) {
        router.set(new Router(Registry.of(config), health, strategy));
    }

    /** The current snapshot: read it once per request and use that one throughout. */
    public Router router() {
        return router.get();
    }

    public Registry registry() {
        return router.get().registry();
    }

    public GatewayConfig config() {
        return registry().config();
    }

    public HealthTracker health() {
        return health;
    }

    public RetryPolicy retryPolicy() {
        return retryPolicy;
    }

    public Clock clock() {
        return clock;
    }
}
