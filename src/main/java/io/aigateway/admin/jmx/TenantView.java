package io.aigateway.admin.jmx;

import io.aigateway.webapp.Gateway;

/** The {@link TenantMBean} of one tenant, by name. */
final class TenantView implements TenantMBean {
    private final Gateway gateway;
    private final String name;

    TenantView(Gateway gateway, String name) {
        this.gateway = gateway;
        this.name = name;
    }

    @Override
    public String getName() {
        return name;
    }

    @Override
    public String[] getAllowedModels() {
        return Views.tenant(gateway, name).config().models().toArray(String[]::new);
    }

    @Override
    public int getKeysTotal() {
        return Views.tenant(gateway, name).config().keys().size();
    }
}
