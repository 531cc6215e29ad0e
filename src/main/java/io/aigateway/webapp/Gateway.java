package io.aigateway.webapp;

import io.aigateway.config.GatewayConfig;
import io.aigateway.config.RoutingConfig;
import io.aigateway.log.RequestListener;
import io.aigateway.log.RequestRecord;
import io.aigateway.registry.Registry;
import io.aigateway.routing.Balancer;
import io.aigateway.routing.DeploymentStatsRegistry;
import io.aigateway.routing.HealthTracker;
import io.aigateway.routing.OutcomeRecorder;
import io.aigateway.routing.RetryBudget;
import io.aigateway.routing.Router;
import io.aigateway.routing.SmoothWeightedRoundRobin;
import io.aigateway.routing.Strategies;
import io.aigateway.routing.health.HealthRegistry;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

import java.time.Clock;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * The running gateway: the current snapshot (config, registry and balancers, swapped as one), and what outlives
 * snapshots: deployment health, live statistics, the retry budget, the clock. One per web application.
 */
public final class Gateway {
    private static final Logger LOG = LogManager.getLogger(Gateway.class);

    /** The servlet context attribute that holds the gateway. */
    public static final String ATTRIBUTE = Gateway.class.getName();

    /** Makes the balancing strategy of each public model from the routing config. */
    public interface StrategyFactory {
        Function<String, Balancer.Strategy> strategies(RoutingConfig routing);
    }

    /** Weighted round robin within priority tiers, for every model. */
    public static final StrategyFactory ROUND_ROBIN_ONLY = routing -> model -> SmoothWeightedRoundRobin.STRATEGY;

    /** The strategies of {@code routing.strategy} and {@code routing.per_model}, over shared live statistics. */
    public static StrategyFactory configured(DeploymentStatsRegistry stats, Clock clock) {
        return routing -> model -> Strategies.of(routing.strategyFor(model), stats, clock, ThreadLocalRandom.current());
    }

    private final Clock clock;
    private final HealthTracker health;
    private final StrategyFactory strategies;
    private final RetryBudget retryBudget;
    private final DeploymentStatsRegistry stats;
    private final InFlightLimit inFlight = new InFlightLimit();
    private final AtomicReference<Snapshot> snapshot = new AtomicReference<>();
    private final List<Consumer<Registry>> reloadListeners = new CopyOnWriteArrayList<>();
    private final List<RequestListener> requestListeners = new CopyOnWriteArrayList<>();

    /** What a request reads once and uses throughout. */
    public record Snapshot(GatewayConfig config, Router router, OutcomeRecorder outcomes) {
    }

    /** Circuit breakers and benches per deployment, and the configured balancing strategies. */
    public Gateway(GatewayConfig config, Clock clock) {
        this(config, clock, loggingHealth(clock), new DeploymentStatsRegistry(clock));
    }

    /** Health whose every breaker transition and bench, flag or probe change is logged for operators. */
    private static HealthRegistry loggingHealth(Clock clock) {
        HealthRegistry health = new HealthRegistry(clock);
        health.addBreakerListener(event -> LOG.warn("Circuit breaker of {}: {} -> {}", event.deploymentId(), event.from(), event.to()));
        health.addHealthListener(event -> LOG.info("Health of {}: {}{}{}", event.subject(), event.kind(),
            event.until() == null ? "" : " until " + event.until(), event.reason() == null ? "" : " (" + event.reason() + ")"));
        return health;
    }

    private Gateway(GatewayConfig config, Clock clock, HealthTracker health, DeploymentStatsRegistry stats) {
        this(config, clock, health, stats, configured(stats, clock));
    }

    public Gateway(GatewayConfig config, Clock clock, HealthTracker health, DeploymentStatsRegistry stats, StrategyFactory strategies) {
        this.clock = Objects.requireNonNull(clock);
        this.health = Objects.requireNonNull(health);
        this.stats = Objects.requireNonNull(stats);
        this.strategies = Objects.requireNonNull(strategies);
        this.retryBudget = new RetryBudget(config.routing().retryBudget().percent(), config.routing().retryBudget().minConcurrent());
        apply(config);
    }

    /** Replaces the snapshot. Requests in flight finish on the one they started with. */
    public void apply(GatewayConfig config) {
        RoutingConfig routing = config.routing();
        retryBudget.update(routing.retryBudget().percent(), routing.retryBudget().minConcurrent());
        Registry registry = Registry.of(config);
        health.reconfigure(registry);
        Router router = new Router(registry, health, strategies.strategies(routing));
        snapshot.set(new Snapshot(config, router, new OutcomeRecorder(health, clock, routing.maxRetryAfter())));
        for (Consumer<Registry> listener : reloadListeners)
            listener.accept(registry);
    }

    /** Called with each new registry after it is in force (the active health checker follows it). */
    public void addReloadListener(Consumer<Registry> listener) {
        reloadListeners.add(listener);
    }

    /** Adds a receiver of every request's {@link RequestRecord} (request log, metrics, usage). */
    public void addRequestListener(RequestListener listener) {
        requestListeners.add(listener);
    }

    /** Hands a finished request's record to every listener; a failing listener does not stop the others. */
    public void publish(RequestRecord record) {
        for (RequestListener listener : requestListeners) {
            try {
                listener.onRequest(record);
            } catch (RuntimeException x) {
                LOG.warn("Request listener {} failed", listener, x);
            }
        }
    }

    /** Live statistics per deployment (in flight, first-byte latency, success rate), kept across reloads. */
    public DeploymentStatsRegistry stats() {
        return stats;
    }

    /** The current snapshot: read it once per request and use that one throughout. */
    public Snapshot snapshot() {
        return snapshot.get();
    }

    public Router router() {
        return snapshot.get().router();
    }

    public Registry registry() {
        return router().registry();
    }

    public GatewayConfig config() {
        return snapshot.get().config();
    }

    public HealthTracker health() {
        return health;
    }

    public RetryBudget retryBudget() {
        return retryBudget;
    }

    /** The {@code server.max_in_flight} cap: requests admitted now, and those refused. */
    public InFlightLimit inFlight() {
        return inFlight;
    }

    public Clock clock() {
        return clock;
    }
}
