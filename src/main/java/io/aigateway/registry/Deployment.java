package io.aigateway.registry;

import io.aigateway.config.DeploymentConfig;

/**
 * One model served by one backend: the unit the gateway balances over and tracks health for. {@link #name()} is
 * what the backend calls it (Azure deployment name, or upstream model name), {@link #model()} the public name.
 */
public final class Deployment {
    private final Backend backend;
    private final DeploymentConfig config;
    private final String id;

    Deployment(Backend backend, DeploymentConfig config) {
        this.backend = backend;
        this.config = config;
        this.id = backend.name() + "/" + config.name();
    }

    public DeploymentConfig config() {
        return config;
    }

    public Backend backend() {
        return backend;
    }

    public String name() {
        return config.name();
    }

    public String model() {
        return config.model();
    }

    /** {@code backend/deployment}: stable across config reloads, so health survives them. */
    public String id() {
        return id;
    }

    public int weight() {
        return backend.config().weight();
    }

    public int priority() {
        return backend.config().priority();
    }

    @Override
    public String toString() {
        return "Deployment[" + id + " serves " + config.model() + "]";
    }
}
