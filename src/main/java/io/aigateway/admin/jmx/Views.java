package io.aigateway.admin.jmx;

import io.aigateway.registry.Backend;
import io.aigateway.registry.Deployment;
import io.aigateway.registry.Tenant;
import io.aigateway.webapp.Gateway;

/** Finds what an MBean shows in the registry in force, by name: a reload replaces every registry object. */
final class Views {
    private Views() {
    }

    static Backend backend(Gateway gateway, String name) {
        for (Backend backend : gateway.registry().backends()) {
            if (backend.name().equals(name))
                return backend;
        }
        throw new IllegalStateException("backend '" + name + "' is no longer configured");
    }

    static Deployment deployment(Gateway gateway, String backendName, String name) {
        for (Deployment deployment : backend(gateway, backendName).deployments()) {
            if (deployment.name().equals(name))
                return deployment;
        }
        throw new IllegalStateException("deployment '" + backendName + "/" + name + "' is no longer configured");
    }

    static Tenant tenant(Gateway gateway, String name) {
        Tenant tenant = gateway.registry().tenants().get(name);
        if (tenant == null)
            throw new IllegalStateException("tenant '" + name + "' is no longer configured");
        return tenant;
    }
}
