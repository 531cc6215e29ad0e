package io.aigateway.config;

import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One entry of {@code tenants[]}: a client of the gateway, the keys it authenticates with, and the models it may use.
 *
 * @param name   {@code tenants[].name}: unique among tenants; shows up in logs, metrics and limits
 * @param keys   {@code tenants[].keys[]}: at least one; each the raw key (hashed on load and never kept),
 *               {@code sha256:} with the 64 hex digits of its SHA-256, or an object (see {@link KeyConfig}).
 *               A key belongs to one tenant only; ids are unique within the tenant.
 * @param models {@code tenants[].models[]}: at least one; each a public model name (a deployment's {@code model}
 *               or an alias) or {@code *} for every model
 * @param limits        {@code tenants[].limits}: {@code rpm}, {@code tpm} and {@code concurrency} of the whole
 *                      tenant, over all its keys and models; none when absent
 * @param modelLimits   {@code tenants[].model_limits.<model>}: {@code rpm} and {@code tpm} of this tenant on one
 *                      public model; none when absent
 * @param quota         {@code tenants[].quota}: requests, tokens and cost per period; null for no quota
 * @param backendGroups {@code tenants[].backend_groups[]}: when not empty, the tenant's requests go only to
 *                      backends named here, by {@code backends[].name} or by {@code backends[].quota_group}; a
 *                      model none of them serves is refused as not allowed. Empty (every backend) when absent.
 * @param captureBodies {@code tenants[].capture_bodies}: whether this tenant's request log rows keep the request
 *                      and response bodies, over {@code request_log.capture_bodies}; null (inherit) when absent
 */
public record TenantConfig(String name, List<KeyConfig> keys, List<String> models, RateLimitConfig limits,
        Map<String, RateLimitConfig> modelLimits, QuotaConfig quota, List<String> backendGroups,
        Boolean captureBodies) {

    /** The entry of {@code models[]} that allows every model. */
    public static final String ALL_MODELS = "*";

    /** @throws ConfigException naming each field that breaks its rule, including a key given twice */
    public TenantConfig {
        Problems problems = new Problems();
        Names.requireNonBlank(problems, "name", name);
        checkKeys(problems, keys);
        checkModels(problems, models);
        if (backendGroups != null) {
            for (int i = 0; i < backendGroups.size(); i++) {
                Names.requireNonBlank(problems, Problems.index("backend_groups", i), backendGroups.get(i));
            }
        }
        problems.throwIfAny("TenantConfig");
        keys = List.copyOf(keys);
        models = List.copyOf(models);
        limits = limits == null ? RateLimitConfig.NONE : limits;
        modelLimits = modelLimits == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(modelLimits));
        backendGroups = backendGroups == null ? List.of() : List.copyOf(backendGroups);
    }

    /** A tenant that inherits {@code request_log.capture_bodies}. */
    public TenantConfig(String name, List<KeyConfig> keys, List<String> models, RateLimitConfig limits,
            Map<String, RateLimitConfig> modelLimits, QuotaConfig quota, List<String> backendGroups) {
        this(name, keys, models, limits, modelLimits, quota, backendGroups, null);
    }

    /** A tenant without limits, quota or backend groups. */
    public TenantConfig(String name, List<KeyConfig> keys, List<String> models) {
        this(name, keys, models, RateLimitConfig.NONE, Map.of(), null, List.of());
    }

    /**
     * Whether the tenant may send requests to the backend: always when it has no {@code backend_groups}, else when
     * one of them is the backend's name or its {@code quota_group}.
     */
    public boolean mayUse(BackendConfig backend) {
        return backendGroups.isEmpty() || backendGroups.contains(backend.name())
                || (backend.quotaGroup() != null && backendGroups.contains(backend.quotaGroup()));
    }

    /** Whether this tenant may use the public model (a deployment model or an alias). */
    public boolean allows(String publicModel) {
        return models.contains(ALL_MODELS) || models.contains(publicModel);
    }

    /** The key with this id, or null. */
    public KeyConfig key(String id) {
        for (KeyConfig key : keys) {
            if (key.id().equals(id)) {
                return key;
            }
        }
        return null;
    }

    private static void checkKeys(Problems problems, List<KeyConfig> keys) {
        if (keys == null || keys.isEmpty()) {
            problems.add("keys", "must list at least one key");
            return;
        }
        Map<KeyHash, Integer> firstIndex = new HashMap<>();
        Map<String, Integer> firstId = new HashMap<>();
        for (int i = 0; i < keys.size(); i++) {
            KeyConfig key = keys.get(i);
            if (key == null) {
                problems.add(Problems.index("keys", i), "is required");
                continue;
            }
            Integer first = firstIndex.putIfAbsent(key.hash(), i);
            if (first != null) {
                problems.add(Problems.index("keys", i), "duplicate key (same as keys[" + first + "])");
                continue;
            }
            Integer sameId = firstId.putIfAbsent(key.id(), i);
            if (sameId != null) {
                problems.add(Problems.index("keys", i) + ".id",
                        "duplicate key id '" + key.id() + "' (same as keys[" + sameId + "])");
            }
        }
    }

    private static void checkModels(Problems problems, List<String> models) {
        if (models == null || models.isEmpty()) {
            problems.add("models", "must list at least one model (or \"*\" for all)");
            return;
        }
        for (int i = 0; i < models.size(); i++) {
            Names.requireNonBlank(problems, Problems.index("models", i), models.get(i));
        }
    }
}
