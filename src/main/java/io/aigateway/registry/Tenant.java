package io.aigateway.registry;

import io.aigateway.config.TenantConfig;

/** A project that calls the gateway with one of its keys. */
public final class Tenant {
    private final TenantConfig config;

    Tenant(TenantConfig config) {
        this.config = config;
    }

    public String name() {
        return config.name();
    }

    /** Whether this tenant may call the public model (or alias) of that name. */
    public boolean allows(String publicModel) {
        return config.allows(publicModel);
    }

    public TenantConfig config() {
        return config;
    }

    @Override
    public String toString() {
        return "Tenant[" + name() + "]";
    }
}
