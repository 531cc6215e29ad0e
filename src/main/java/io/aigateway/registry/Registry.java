package io.aigateway.registry;

import io.aigateway.config.AliasConfig;
import io.aigateway.config.BackendConfig;
import io.aigateway.config.GatewayConfig;
import io.aigateway.config.KeyConfig;
import io.aigateway.config.KeyHash;
import io.aigateway.config.TenantConfig;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/** An immutable snapshot of tenants, backends and model routes, built from a validated {@link GatewayConfig}. */
public final class Registry {
    private final GatewayConfig config;
    private final Map<KeyHash, TenantKey> keys;
    private final Map<String, Tenant> tenants;
    private final List<Backend> backends;
    private final Map<String, ModelRoute> routes;
    private final Set<String> publicModels;

    private Registry(GatewayConfig config) {
        this.config = config;

        Map<KeyHash, TenantKey> byKey = new HashMap<>();
        Map<String, Tenant> byName = new LinkedHashMap<>();
        for (TenantConfig tenantConfig : config.tenants()) {
            Tenant tenant = new Tenant(tenantConfig);
            byName.put(tenant.name(), tenant);
            for (KeyConfig key : tenantConfig.keys())
                byKey.put(key.hash(), new TenantKey(tenant, key));
        }
        this.keys = Map.copyOf(byKey);
        this.tenants = Collections.unmodifiableMap(byName);

        List<Backend> backendList = new ArrayList<>();
        Map<String, List<Deployment>> byModel = new LinkedHashMap<>();
        for (BackendConfig backendConfig : config.backends()) {
            Backend backend = new Backend(backendConfig);
            backendList.add(backend);
            for (Deployment deployment : backend.deployments()) {
                List<Deployment> candidates = byModel.computeIfAbsent(deployment.model(), m -> new ArrayList<>());
                if (backendConfig.enabled())
                    candidates.add(deployment);
            }
        }
        this.backends = List.copyOf(backendList);

        Map<String, ModelRoute> routeMap = new HashMap<>();
        byModel.forEach((model, candidates) -> routeMap.put(model, new ModelRoute(model, candidates)));
        config.models().aliases().forEach((alias, target) -> routeMap.put(alias, aliasRoute(alias, target, byModel)));
        this.routes = Map.copyOf(routeMap);
        this.publicModels = Collections.unmodifiableSet(new TreeSet<>(routeMap.keySet()));
    }

    private static ModelRoute aliasRoute(String alias, AliasConfig target, Map<String, List<Deployment>> byModel) {
        List<Deployment> candidates = new ArrayList<>();
        for (Deployment deployment : byModel.getOrDefault(target.model(), List.of())) {
            if (target.backend() == null || target.backend().equals(deployment.backend().name()))
                candidates.add(deployment);
        }
        return new ModelRoute(alias, candidates);
    }

    public static Registry of(GatewayConfig config) {
        return new Registry(config);
    }

    public GatewayConfig config() {
        return config;
    }

    /**
     * The key with this hash and its tenant, or null; expiry is the caller's to check. The map lookup is on hashes,
     * never on raw keys.
     */
    public TenantKey key(KeyHash hash) {
        TenantKey found = keys.get(hash);
        // The map matched the hash; compare once more in constant time so no timing depends on key content.
        return found != null && found.key().hash().matches(hash) ? found : null;
    }

    /** The tenant owning the key with this hash, or null. */
    public Tenant tenantForKey(KeyHash hash) {
        TenantKey found = key(hash);
        return found == null ? null : found.tenant();
    }

    public Map<String, Tenant> tenants() {
        return tenants;
    }

    public List<Backend> backends() {
        return backends;
    }

    /** The route of a public model name or alias, or null when no such model is served. */
    public ModelRoute route(String publicModel) {
        return routes.get(publicModel);
    }

    /** Every public model name and alias, sorted. */
    public Set<String> publicModels() {
        return publicModels;
    }

    /**
     * Whether the tenant may call the public model: it is among its {@code models} and served by at least one backend
     * of its {@code backend_groups}.
     */
    public boolean allows(Tenant tenant, String publicModel) {
        ModelRoute route = routes.get(publicModel);
        return route != null && tenant.allows(publicModel)
            && route.candidates().stream().anyMatch(d -> tenant.config().mayUse(d.backend().config()));
    }

    /** Every deployment of every enabled backend that serves at least one model the tenant may use. */
    public List<Deployment> deploymentsFor(Tenant tenant) {
        List<Deployment> result = new ArrayList<>();
        for (ModelRoute route : routes.values()) {
            if (!tenant.allows(route.publicModel()))
                continue;
            for (Deployment deployment : route.candidates()) {
                if (!result.contains(deployment) && tenant.config().mayUse(deployment.backend().config()))
                    result.add(deployment);
            }
        }
        return result;
    }
}
