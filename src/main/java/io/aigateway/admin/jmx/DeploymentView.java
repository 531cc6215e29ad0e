package io.aigateway.admin.jmx;

import io.aigateway.registry.Deployment;
import io.aigateway.routing.DeploymentStats;
import io.aigateway.routing.health.DeploymentHealth;
import io.aigateway.routing.health.HealthRegistry;
import io.aigateway.webapp.Gateway;

import java.time.Duration;

/** The {@link DeploymentMBean} of one deployment, by backend and name. */
final class DeploymentView implements DeploymentMBean {
    private final Gateway gateway;
    private final String backend;
    private final String name;

    DeploymentView(Gateway gateway, String backend, String name) {
        this.gateway = gateway;
        this.backend = backend;
        this.name = name;
    }

    private Deployment deployment() {
        return Views.deployment(gateway, backend, name);
    }

    /** The health the default tracker keeps, or null when the gateway was built with another tracker. */
    private DeploymentHealth health() {
        HealthRegistry registry = registry();
        return registry == null ? null : registry.health(deployment());
    }

    private DeploymentStats stats() {
        return gateway.stats().stats(deployment());
    }

    @Override
    public String getBackend() {
        return backend;
    }

    @Override
    public String getName() {
        return name;
    }

    @Override
    public String getModel() {
        return deployment().model();
    }

    @Override
    public boolean isAvailable() {
        Deployment deployment = deployment();
        return deployment.backend().config().enabled() && gateway.health().isAvailable(deployment);
    }

    @Override
    public String getCircuitState() {
        DeploymentHealth health = health();
        return health == null ? "UNKNOWN" : health.breaker().state().name();
    }

    @Override
    public boolean isFlagged() {
        DeploymentHealth health = health();
        return health != null && health.flagged();
    }

    @Override
    public String getFlagReason() {
        DeploymentHealth health = health();
        return health == null ? null : health.flagReason();
    }

    @Override
    public int getInFlight() {
        return stats().inFlight();
    }

    @Override
    public long getStarted() {
        return stats().started();
    }

    @Override
    public long getSucceeded() {
        return stats().succeeded();
    }

    @Override
    public long getFailed() {
        return stats().failed();
    }

    @Override
    public double getSuccessRate() {
        return stats().successRate();
    }

    @Override
    public long getP99FirstByteMs() {
        return millis(stats().p99FirstByte(false));
    }

    @Override
    public long getP99StreamFirstByteMs() {
        return millis(stats().p99FirstByte(true));
    }

    @Override
    public String getOperatorState() {
        HealthRegistry registry = registry();
        return registry == null ? "UNKNOWN" : registry.operatorState(deployment()).name();
    }

    @Override
    public void clearFlag() {
        DeploymentHealth health = health();
        if (health == null)
            throw new UnsupportedOperationException("this gateway's health tracker keeps no flags");
        health.clearFlag();
    }

    @Override
    public void enable() {
        operable().enable(deployment());
    }

    @Override
    public void disable() {
        operable().disable(deployment());
    }

    @Override
    public void drain() {
        operable().drain(deployment());
    }

    @Override
    public void resetCircuit() {
        operable().resetCircuit(deployment());
    }

    /** The default health tracker, or null when the gateway was built with another. */
    private HealthRegistry registry() {
        return gateway.health() instanceof HealthRegistry registry ? registry : null;
    }

    private HealthRegistry operable() {
        HealthRegistry registry = registry();
        if (registry == null)
            throw new UnsupportedOperationException("this gateway's health tracker has no operator controls");
        return registry;
    }

    private static long millis(Duration duration) {
        return duration == null ? -1 : duration.toMillis();
    }
}
