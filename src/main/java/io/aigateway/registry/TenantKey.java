package io.aigateway.registry;

import io.aigateway.config.KeyConfig;

/** A gateway key that authenticated, and the tenant it belongs to: who is calling, by name and key id. */
public record TenantKey(Tenant tenant, KeyConfig key) {

    /** The key's id, safe to log: it is never derived from more than a short prefix of the key's hash. */
    public String keyId() {
        return key.id();
    }
}
