package io.aigateway.metrics;

import io.aigateway.registry.Backend;
import io.aigateway.registry.Deployment;
import io.aigateway.routing.DeploymentStats;
import io.aigateway.routing.HealthTracker;
import io.aigateway.routing.health.CircuitBreaker;
import io.aigateway.routing.health.CircuitBreakerEvent;
import io.aigateway.routing.health.HealthRegistry;
import io.aigateway.webapp.Gateway;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.CounterWithCallback;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.model.registry.PrometheusRegistry;

import java.util.HashSet;
import java.util.Set;
import java.util.function.BiConsumer;
import java.util.function.ToDoubleFunction;

/**
 * The state of each deployment and of the gateway as a whole, read from the live registry, health and statistics
 * at each scrape (so a reload shows at once), and the breaker transitions as they happen.
 */
final class DeploymentMetrics implements CircuitBreaker.Listener {
    private final Gateway gateway;
    private final Counter transitions;
    private volatile boolean closed;

    DeploymentMetrics(PrometheusRegistry prometheus, Gateway gateway) {
        this.gateway = gateway;
        HealthTracker health = gateway.health();
        deploymentGauge(prometheus, "aigateway_deployment_available",
            "1 when the deployment may take traffic now (backend enabled; breaker, benches, flag and checks allow it), else 0",
            d -> d.backend().config().enabled() && health.isAvailable(d) ? 1 : 0);
        if (health instanceof HealthRegistry registry) {
            deploymentGauge(prometheus, "aigateway_deployment_circuit_state",
                "The deployment's circuit breaker: 0 closed, 1 half-open, 2 open",
                d -> circuitState(registry.health(d).breaker().state()));
            deploymentGauge(prometheus, "aigateway_deployment_flagged",
                "1 when the deployment is flagged (keys refused, deployment gone upstream) until cleared, else 0",
                d -> registry.health(d).flagged() ? 1 : 0);
        }
        deploymentGauge(prometheus, "aigateway_deployment_in_flight",
            "Upstream calls to the deployment sent and not ended yet", d -> stats(d).inFlight());
        deploymentCounter(prometheus, "aigateway_deployment_calls_started_total",
            "Upstream calls sent to the deployment (every attempt counts)", d -> stats(d).started());
        deploymentCounter(prometheus, "aigateway_deployment_calls_succeeded_total",
            "Calls the deployment answered without fault of its own (a caller's 4xx included), and passed probes",
            d -> stats(d).succeeded());
        deploymentCounter(prometheus, "aigateway_deployment_calls_failed_total",
            "Calls the deployment failed (its own error, timeout, broken connection or stream), and failed probes",
            d -> stats(d).failed());
        GaugeWithCallback.builder().name("aigateway_requests_in_flight")
            .help("Client requests in the gateway now")
            .callback(callback -> callback.call(gateway.retryBudget().requestsInFlight())).register(prometheus);
        GaugeWithCallback.builder().name("aigateway_retries_in_flight")
            .help("Retries in flight now, which the retry budget caps")
            .callback(callback -> callback.call(gateway.retryBudget().retriesInFlight())).register(prometheus);
        CounterWithCallback.builder().name("aigateway_overload_rejections_total")
            .help("Client requests refused with 503 overloaded because server.max_in_flight were in flight")
            .callback(callback -> callback.call(gateway.inFlight().rejected())).register(prometheus);
        transitions = Counter.builder().name("aigateway_circuit_transitions_total")
            .help("Circuit breaker transitions, by deployment and the states left and entered")
            .labelNames("backend", "deployment", "from", "to").withoutExemplars().register(prometheus);
    }

    /** Gauge value of a breaker state: the order in which it keeps traffic out. */
    static int circuitState(CircuitBreaker.State state) {
        return switch (state) {
            case CLOSED -> 0;
            case HALF_OPEN -> 1;
            case OPEN -> 2;
        };
    }

    @Override
    public void onTransition(CircuitBreakerEvent event) {
        if (closed)
            return;
        // Ids are backend/name and backend names cannot hold a slash, so the first one splits them.
        String id = event.deploymentId();
        int slash = id.indexOf('/');
        transitions.labelValues(id.substring(0, slash), id.substring(slash + 1), Labels.lowerCase(event.from()),
            Labels.lowerCase(event.to())).inc();
    }

    void close() {
        closed = true;
    }

    private DeploymentStats stats(Deployment deployment) {
        return gateway.stats().stats(deployment);
    }

    private void deploymentGauge(PrometheusRegistry prometheus, String name, String help, ToDoubleFunction<Deployment> value) {
        GaugeWithCallback.builder().name(name).help(help).labelNames("backend", "deployment")
            .callback(callback -> eachDeployment((d, labels) -> callback.call(value.applyAsDouble(d), labels)))
            .register(prometheus);
    }

    private void deploymentCounter(PrometheusRegistry prometheus, String name, String help, ToDoubleFunction<Deployment> value) {
        CounterWithCallback.builder().name(name).help(help).labelNames("backend", "deployment")
            .callback(callback -> eachDeployment((d, labels) -> callback.call(value.applyAsDouble(d), labels)))
            .register(prometheus);
    }

    /** Each deployment once by id: two deployments of a backend may share a name (and then their health). */
    private void eachDeployment(BiConsumer<Deployment, String[]> action) {
        Set<String> seen = new HashSet<>();
        for (Backend backend : gateway.registry().backends()) {
            for (Deployment deployment : backend.deployments()) {
                if (seen.add(deployment.id()))
                    action.accept(deployment, new String[] {backend.name(), deployment.name()});
            }
        }
    }
}
