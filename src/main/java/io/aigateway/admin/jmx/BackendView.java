package io.aigateway.admin.jmx;

import io.aigateway.registry.Backend;
import io.aigateway.registry.Deployment;
import io.aigateway.routing.health.HealthRegistry;
import io.aigateway.webapp.Gateway;

import java.net.URI;
import java.util.function.BiConsumer;

/** The {@link BackendMBean} of one backend, by name. */
final class BackendView implements BackendMBean {
    private final Gateway gateway;
    private final String name;

    BackendView(Gateway gateway, String name) {
        this.gateway = gateway;
        this.name = name;
    }

    private Backend backend() {
        return Views.backend(gateway, name);
    }

    @Override
    public String getName() {
        return name;
    }

    @Override
    public String getFlavor() {
        return backend().flavor().configName();
    }

    @Override
    public boolean isEnabled() {
        return backend().config().enabled();
    }

    @Override
    public String getEndpointHost() {
        URI endpoint = backend().config().endpoint();
        return endpoint.getPort() < 0 ? endpoint.getHost() : endpoint.getHost() + ":" + endpoint.getPort();
    }

    @Override
    public int getPriority() {
        return backend().config().priority();
    }

    @Override
    public int getWeight() {
        return backend().config().weight();
    }

    @Override
    public int getKeysTotal() {
        return backend().keys().size();
    }

    @Override
    public int getKeysEnabled() {
        return backend().keys().enabledCount();
    }

    @Override
    public String[] getDeployments() {
        return backend().deployments().stream().map(Deployment::name).toArray(String[]::new);
    }

    @Override
    public void enable() {
        forEachDeployment(HealthRegistry::enable);
    }

    @Override
    public void disable() {
        forEachDeployment(HealthRegistry::disable);
    }

    @Override
    public void drain() {
        forEachDeployment(HealthRegistry::drain);
    }

    private void forEachDeployment(BiConsumer<HealthRegistry, Deployment> action) {
        if (!(gateway.health() instanceof HealthRegistry registry))
            throw new UnsupportedOperationException("this gateway's health tracker has no operator controls");
        for (Deployment deployment : backend().deployments())
            action.accept(registry, deployment);
    }
}
