package io.aigateway.admin.jmx;

/** {@code aigateway:type=Tenant,name=<tenant>}: one {@code tenants[]} entry, without its keys. */
public interface TenantMBean {
    /** {@code tenants[].name}. */
    String getName();

    /** {@code tenants[].models}: public models and aliases it may use, {@code *} for every one. */
    String[] getAllowedModels();

    /** How many keys it has. */
    int getKeysTotal();
}
