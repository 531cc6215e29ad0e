package io.aigateway.store;

import io.aigateway.config.AliasConfig;
import io.aigateway.config.BackendConfig;
import io.aigateway.config.KeyConfig;
import io.aigateway.config.KeyHash;
import io.aigateway.config.TenantConfig;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Everything operators manage in the store, read at one version: tenants with their keys, backends, aliases.
 *
 * @param version the config version these were read at (see {@link ConfigVersionRow})
 */
public record StoreContents(List<StoredTenant> tenants, List<StoredBackend> backends, Map<String, AliasConfig> aliases,
        long version) {

    public StoreContents {
        tenants = List.copyOf(tenants);
        backends = List.copyOf(backends);
        aliases = Map.copyOf(aliases);
    }

    /** An empty store. */
    public static StoreContents empty() {
        return new StoreContents(List.of(), List.of(), Map.of(), 0);
    }

    public StoredTenant tenant(String name) {
        return tenants.stream().filter(t -> t.name().equals(name)).findFirst().orElse(null);
    }

    public StoredBackend backend(String name) {
        return backends.stream().filter(b -> b.name().equals(name)).findFirst().orElse(null);
    }

    /**
     * A stored tenant.
     *
     * @param limitsJson the tenant's {@code limits} as given (JSON object text), or null
     * @param quotaJson  the tenant's {@code quota} as given (JSON object text), or null
     */
    public record StoredTenant(String name, List<String> models, String limitsJson, String quotaJson, Instant created,
            Instant updated, List<StoredKey> keys) {
        public StoredTenant {
            models = List.copyOf(models);
            keys = List.copyOf(keys);
        }

        /** The tenant as the registry sees it: its unrevoked keys only; null when it has none (nobody can use it). */
        public TenantConfig toConfig() {
            List<KeyConfig> live = new ArrayList<>();
            for (StoredKey key : keys) {
                if (key.revoked() == null) {
                    live.add(new KeyConfig(key.id(), KeyHash.parse(KeyHash.PREFIX + key.hashHex()), key.expires()));
                }
            }
            return live.isEmpty() ? null : new TenantConfig(name, live, models);
        }

        public StoredKey key(String id) {
            return keys.stream().filter(k -> k.id().equals(id)).findFirst().orElse(null);
        }
    }

    /** A stored gateway key: only its hash and a display prefix; its limits as given (JSON object text), or null. */
    public record StoredKey(String id, String hashHex, String prefix, Instant created, Instant expires,
            Instant revoked, String limitsJson) {
    }

    /**
     * A stored backend.
     *
     * @param config   the backend with its keys opened (never printed: {@link BackendConfig} hides them)
     * @param specJson its config entry as JSON, without keys, as the admin gave it
     */
    public record StoredBackend(String name, BackendConfig config, String specJson, Instant created,
            Instant updated) {
    }
}
