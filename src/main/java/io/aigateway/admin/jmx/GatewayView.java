package io.aigateway.admin.jmx;

import io.aigateway.registry.Backend;
import io.aigateway.registry.Registry;
import io.aigateway.webapp.Gateway;

import java.time.Instant;
import java.util.function.Supplier;
import java.util.concurrent.atomic.AtomicInteger;

/** The {@link GatewayMBean}. */
final class GatewayView implements GatewayMBean {
    private final Gateway gateway;
    private final String configSource;
    private final RequestTotals totals;
    private final AtomicInteger configVersion = new AtomicInteger(1);
    private volatile Instant configLoadedAt;
    private volatile Supplier<String> reloader = () -> "refused: this gateway cannot reload its config";

    GatewayView(Gateway gateway, String configSource, RequestTotals totals) {
        this.gateway = gateway;
        this.configSource = configSource;
        this.totals = totals;
        this.configLoadedAt = gateway.clock().instant();
    }

    /** What {@link #reload()} runs. */
    void reloadThrough(Supplier<String> reloader) {
        this.reloader = reloader;
    }

    @Override
    public String reload() {
        return reloader.get();
    }

    /** A new config snapshot is in force. */
    void reloaded() {
        configVersion.incrementAndGet();
        configLoadedAt = gateway.clock().instant();
    }

    @Override
    public String getConfigSource() {
        return configSource;
    }

    @Override
    public int getConfigVersion() {
        return configVersion.get();
    }

    @Override
    public String getConfigLoadedAt() {
        return configLoadedAt.toString();
    }

    @Override
    public int getTenantCount() {
        return gateway.registry().tenants().size();
    }

    @Override
    public int getBackendCount() {
        return gateway.registry().backends().size();
    }

    @Override
    public int getDeploymentCount() {
        Registry registry = gateway.registry();
        int count = 0;
        for (Backend backend : registry.backends())
            count += backend.deployments().size();
        return count;
    }

    @Override
    public int getPublicModelCount() {
        return gateway.registry().publicModels().size();
    }

    @Override
    public int getRequestsInFlight() {
        return gateway.retryBudget().requestsInFlight();
    }

    @Override
    public int getRetriesInFlight() {
        return gateway.retryBudget().retriesInFlight();
    }

    @Override
    public long getRequestsTotal() {
        return totals.total.sum();
    }

    @Override
    public long getRequestsSucceeded() {
        return totals.succeeded.sum();
    }

    @Override
    public long getRequestsClientErrors() {
        return totals.clientErrors.sum();
    }

    @Override
    public long getRequestsServerErrors() {
        return totals.serverErrors.sum();
    }

    @Override
    public long getRequestsCancelled() {
        return totals.cancelled.sum();
    }

    @Override
    public long getRetriesTotal() {
        return totals.retries.sum();
    }
}
