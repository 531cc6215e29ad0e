package io.aigateway.store;

import io.aigateway.config.AliasConfig;
import io.aigateway.config.BackendConfig;
import io.aigateway.config.ConfigParts;
import io.aigateway.config.KeyConfig;
import io.aigateway.config.KeyHash;
import io.aigateway.config.TenantConfig;
import io.aigateway.json.Json;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.JsonValue;

import java.io.StringReader;
import java.time.Instant;
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
     * A tenant's limits as the admin gave them, each the JSON text of the config file's field of that name, null
     * when absent. They are bound by the file's binder ({@link ConfigParts#tenant}), so they mean what the file's do.
     *
     * @param limits        {@code limits}: an object {@code {rpm, tpm, concurrency}}
     * @param modelLimits   {@code model_limits}: an object {@code {<model>: {rpm, tpm}}}
     * @param quota         {@code quota}: an object {@code {requests, tokens, cost, reset, time_zone}}
     * @param backendGroups {@code backend_groups}: an array of backend names or quota groups
     * @param captureBodies {@code capture_bodies}: {@code true} or {@code false}; null inherits
     *                      {@code request_log.capture_bodies}
     */
    public record TenantLimits(String limits, String modelLimits, String quota, String backendGroups,
            String captureBodies) {
        /** No limits, quota or backend groups. */
        public static final TenantLimits NONE = new TenantLimits(null, null, null, null, null);

        /** Limits of a tenant that inherits {@code request_log.capture_bodies}. */
        public TenantLimits(String limits, String modelLimits, String quota, String backendGroups) {
            this(limits, modelLimits, quota, backendGroups, null);
        }
    }

    /** A stored tenant. */
    public record StoredTenant(String name, List<String> models, TenantLimits limits, Instant created,
            Instant updated, List<StoredKey> keys) {
        public StoredTenant {
            models = List.copyOf(models);
            limits = limits == null ? TenantLimits.NONE : limits;
            keys = List.copyOf(keys);
        }

        /**
         * The tenant as the registry sees it: its unrevoked keys only; null when it has none (nobody can use it).
         *
         * @throws io.aigateway.config.ConfigException when its limits break the config's rules, with paths
         *                                             relative to the tenant ({@code limits.rpm})
         */
        public TenantConfig toConfig() {
            boolean anyLive = keys.stream().anyMatch(k -> k.revoked() == null);
            return anyLive ? bind(true) : null;
        }

        /**
         * Binds the tenant with all its keys, revoked ones included, to check it whatever state its keys are in.
         *
         * @throws io.aigateway.config.ConfigException as {@link #toConfig()}
         */
        public TenantConfig check() {
            return bind(false);
        }

        private TenantConfig bind(boolean liveKeysOnly) {
            JsonObjectBuilder tenant = Json.createObjectBuilder().add("name", name)
                    .add("models", Json.createArrayBuilder(models));
            addJson(tenant, "limits", limits.limits());
            addJson(tenant, "model_limits", limits.modelLimits());
            addJson(tenant, "quota", limits.quota());
            addJson(tenant, "backend_groups", limits.backendGroups());
            addJson(tenant, "capture_bodies", limits.captureBodies());
            JsonArrayBuilder keyArray = Json.createArrayBuilder();
            for (StoredKey key : keys) {
                if (!liveKeysOnly || key.revoked() == null) {
                    keyArray.add(key.spec());
                }
            }
            tenant.add("keys", keyArray);
            return ConfigParts.tenant(tenant.build().toString(), "stored tenant '" + name + "'");
        }

        public StoredKey key(String id) {
            return keys.stream().filter(k -> k.id().equals(id)).findFirst().orElse(null);
        }
    }

    /**
     * A stored gateway key: only its hash and a display prefix; its own {@code limits} and {@code quota} as given
     * (JSON object text each), or null.
     */
    public record StoredKey(String id, String hashHex, String prefix, Instant created, Instant expires,
            Instant revoked, String limitsJson, String quotaJson) {

        /**
         * The key as the config file's binder reads it.
         *
         * @throws io.aigateway.config.ConfigException when its limits or quota break the config's rules, with paths
         *                                             relative to the key ({@code limits.rpm})
         */
        public KeyConfig toConfig() {
            return ConfigParts.key(spec().build().toString(), "stored key '" + id + "'");
        }

        /** The key as a {@code keys[]} entry of the config file: {@code {hash, id, expires, limits, quota}}. */
        JsonObjectBuilder spec() {
            JsonObjectBuilder key = Json.createObjectBuilder().add("hash", KeyHash.PREFIX + hashHex).add("id", id);
            if (expires != null) {
                key.add("expires", expires.toString());
            }
            addJson(key, "limits", limitsJson);
            addJson(key, "quota", quotaJson);
            return key;
        }
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

    private static void addJson(JsonObjectBuilder object, String field, String json) {
        if (json != null) {
            object.add(field, parse(json));
        }
    }

    /** The JSON value of the text; the text was written by the gateway, so it parses. */
    public static JsonValue parse(String json) {
        if (json == null) {
            return JsonValue.NULL;
        }
        try (var reader = Json.createReader(new StringReader(json))) {
            return reader.readValue();
        }
    }
}
