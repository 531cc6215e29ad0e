package io.aigateway.registry;

/**
 * One model served by one backend: the unit the gateway balances over and tracks health for. {@link #name()} is
 * what the backend calls it (Azure deployment name, or upstream model name), {@link #model()} the public name.
 */
public final class Deployment {
    private final Backend backend;
    private final String name;
    private final String model;
    private final String id;

    Deployment(Backend backend, String name, String model) {
        this.backend = backend;
        this.name = name;
        this.model = model;
        this.id = backend.name() + "/" + name;
    }

    public Backend backend() {
        return backend;
    }

    public String name() {
        return name;
    }

    public String model() {
        return model;
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
        return "Deployment[" + id + " serves " + model + "]";
    }
}
