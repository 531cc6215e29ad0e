package io.aigateway.metrics;

import io.aigateway.routing.health.HealthRegistry;
import io.aigateway.webapp.Gateway;
import io.prometheus.metrics.instrumentation.jvm.JvmBufferPoolMetrics;
import io.prometheus.metrics.instrumentation.jvm.JvmClassLoadingMetrics;
import io.prometheus.metrics.instrumentation.jvm.JvmCompilationMetrics;
import io.prometheus.metrics.instrumentation.jvm.JvmGarbageCollectorMetrics;
import io.prometheus.metrics.instrumentation.jvm.JvmMemoryMetrics;
import io.prometheus.metrics.instrumentation.jvm.JvmRuntimeInfoMetric;
import io.prometheus.metrics.instrumentation.jvm.JvmThreadsMetrics;
import io.prometheus.metrics.instrumentation.jvm.ProcessMetrics;
import io.prometheus.metrics.model.registry.PrometheusRegistry;

/**
 * The gateway's Prometheus metrics, in a registry of its own: never the library's static default registry, which
 * a redeployed WAR (or a second gateway in the same JVM) would find already holding the old collectors.
 * <p>
 * JVM metrics are those of {@code JvmMetrics} except two: memory pool allocation, which adds notification
 * listeners to the JVM's garbage collector beans that are never removed (they would pin an undeployed WAR's class
 * loader), and native memory, which runs a diagnostic command at every scrape.
 */
public final class GatewayMetrics implements AutoCloseable {
    private final Gateway gateway;
    private final PrometheusRegistry registry = new PrometheusRegistry();
    private final RequestMetrics requests;
    private final DeploymentMetrics deployments;
    private final UsageMetrics usage;

    private GatewayMetrics(Gateway gateway) {
        this.gateway = gateway;
        this.requests = new RequestMetrics(registry, gateway::registry);
        this.deployments = new DeploymentMetrics(registry, gateway);
        this.usage = new UsageMetrics(registry, gateway::registry);
        JvmThreadsMetrics.builder().register(registry);
        JvmBufferPoolMetrics.builder().register(registry);
        JvmClassLoadingMetrics.builder().register(registry);
        JvmCompilationMetrics.builder().register(registry);
        JvmGarbageCollectorMetrics.builder().register(registry);
        JvmMemoryMetrics.builder().register(registry);
        JvmRuntimeInfoMetric.builder().register(registry);
        ProcessMetrics.builder().register(registry);
    }

    /** Creates the metrics and subscribes them to the gateway's request records and breaker transitions. */
    public static GatewayMetrics start(Gateway gateway) {
        GatewayMetrics metrics = new GatewayMetrics(gateway);
        gateway.addRequestListener(metrics.requests);
        gateway.addRequestListener(metrics.usage);
        if (gateway.health() instanceof HealthRegistry health)
            health.addBreakerListener(metrics.deployments);
        return metrics;
    }

    /** Counts the limiter's refusals by scope and its store failures. */
    public void watch(io.aigateway.limits.RateLimiter limiter) {
        limiter.addListener(usage);
        io.prometheus.metrics.core.metrics.GaugeWithCallback.builder().name("aigateway_limit_store_up")
            .help("1 while the limit store (Redis, or this instance's memory) answered the last admission, else 0")
            .callback(callback -> callback.call(limiter.storeReachable() ? 1 : 0)).register(registry);
    }

    /** Reports whether the store was reachable the last time anything talked to it. */
    public void watch(io.aigateway.store.StoreHealth store) {
        io.prometheus.metrics.core.metrics.GaugeWithCallback.builder().name("aigateway_store_up")
            .help("1 while the store (database) answered the last time the gateway talked to it, else 0")
            .callback(callback -> callback.call(store.reachable() ? 1 : 0)).register(registry);
    }

    Gateway gateway() {
        return gateway;
    }

    public PrometheusRegistry registry() {
        return registry;
    }

    /** Whether the endpoint answers now: {@code metrics.enabled} and {@code metrics.access}, as last loaded. */
    public boolean exposed() {
        return gateway.config().metrics().exposed();
    }

    /** Unsubscribes and drops every collector. The gateway keeps no way to remove a request listener: it goes quiet. */
    @Override
    public void close() {
        if (gateway.health() instanceof HealthRegistry health)
            health.removeBreakerListener(deployments);
        requests.close();
        usage.close();
        deployments.close();
        registry.clear();
    }
}
