package io.aigateway.config;

import java.net.URI;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/**
 * The whole configuration file: every section, checked against each other (names unique, keys unique, every
 * model a tenant or alias names is served). Immutable: a new file makes a new {@code GatewayConfig}.
 *
 * @param server   {@code server}: listening address and request limits; defaults apply when absent
 * @param tenants  {@code tenants[]}: who may call the gateway; empty when absent (then nobody can)
 * @param backends {@code backends[]}: the upstream APIs; empty when absent (then every model is unknown)
 * @param models   {@code models}: aliases of served models; none when absent
 * @param routing  {@code routing}: how requests pick deployments and how often they are retried; defaults apply
 *                 when absent
 * @param metrics  {@code metrics}: the Prometheus endpoint; open at {@code /metrics} when absent
 * @param notifications {@code notifications}: channels told about outages; none when absent
 * @param security {@code security}: where backends may live; anywhere when absent
 * @param logging  {@code logging}: the gateway's log files; when absent the standard log4j2 configuration applies
 * @param store    {@code store}: the database of admin-managed entities and logs; see {@link StoreConfig}
 * @param admin    {@code admin}: the admin REST API and its keys; off (no keys) when absent
 * @param requestLog {@code request_log}: the per-request log; on when absent
 * @param reload   {@code reload}: file watching and cross-instance polling; defaults apply when absent
 * @param limits   {@code limits}: where limits and quotas are kept (local or Redis) and how tokens are reserved;
 *                 local when absent
 * @param prices   {@code prices.<model>}: what each public model costs per million tokens, for quotas' {@code cost}
 *                 and the usage record; a model without a price costs nothing
 */
public record GatewayConfig(
        ServerConfig server,
        List<TenantConfig> tenants,
        List<BackendConfig> backends,
        ModelsConfig models,
        RoutingConfig routing,
        MetricsConfig metrics,
        NotificationsConfig notifications,
        SecurityConfig security,
        LoggingConfig logging,
        StoreConfig store,
        AdminConfig admin,
        RequestLogConfig requestLog,
        ReloadConfig reload,
        LimitsConfig limits,
        Map<String, PriceConfig> prices) {

    /** @throws ConfigException naming each place where the sections disagree */
    public GatewayConfig {
        Problems problems = new Problems();
        if (server == null) {
            problems.add("server", "is required");
        }
        if (backends == null) {
            problems.add("backends", "is required (empty for none)");
        }
        if (tenants == null) {
            problems.add("tenants", "is required (empty for none)");
        }
        if (models == null) {
            problems.add("models", "is required");
        }
        if (routing == null) {
            problems.add("routing", "is required");
        }
        if (metrics == null) {
            problems.add("metrics", "is required");
        }
        if (notifications == null) {
            problems.add("notifications", "is required");
        }
        if (security == null) {
            problems.add("security", "is required");
        }
        if (logging == null) {
            problems.add("logging", "is required");
        }
        if (store == null) {
            problems.add("store", "is required");
        }
        if (admin == null) {
            problems.add("admin", "is required");
        }
        if (requestLog == null) {
            problems.add("request_log", "is required");
        }
        if (reload == null) {
            problems.add("reload", "is required");
        }
        if (limits == null) {
            problems.add("limits", "is required");
        }
        if (prices == null) {
            problems.add("prices", "is required (empty for none)");
        }
        // A missing element was reported by whoever built the list; models it might serve are then unknown,
        // and reporting them as unknown would only send the operator on a false trail.
        boolean servedModelsKnown = backends != null && backends.stream().allMatch(Objects::nonNull) && models != null;
        Map<String, String> servingBackend = checkBackends(problems, backends);
        checkAliases(problems, models, backends, servingBackend, servedModelsKnown);
        Set<String> publicModels = servedModelsKnown ? publicModels(backends, models) : null;
        checkTenants(problems, tenants, publicModels);
        checkRouting(problems, routing, publicModels);
        checkBackendHosts(problems, security, backends);
        checkTlsPeers(problems, backends);
        checkAdminKeys(problems, admin, tenants);
        if (metrics != null && admin != null && metrics.access() == MetricsAccess.ADMIN && admin.keys().isEmpty()) {
            problems.add("metrics.access", "'admin' needs admin keys (admin.keys is empty)");
        }
        ConfigChecks.checkLimits(problems, tenants, backends, models, prices, publicModels);
        problems.throwIfAny("GatewayConfig");
        tenants = List.copyOf(tenants);
        backends = List.copyOf(backends);
        prices = Collections.unmodifiableMap(new LinkedHashMap<>(prices));
    }

    /** A config with the default {@code routing} section. */
    public GatewayConfig(
            ServerConfig server, List<TenantConfig> tenants, List<BackendConfig> backends, ModelsConfig models) {
        this(server, tenants, backends, models, RoutingConfig.defaults());
    }

    /** A config with the default {@code metrics} section. */
    public GatewayConfig(ServerConfig server, List<TenantConfig> tenants, List<BackendConfig> backends,
            ModelsConfig models, RoutingConfig routing) {
        this(server, tenants, backends, models, routing, MetricsConfig.defaults());
    }

    /** A config with the default {@code notifications} section (none). */
    public GatewayConfig(ServerConfig server, List<TenantConfig> tenants, List<BackendConfig> backends,
            ModelsConfig models, RoutingConfig routing, MetricsConfig metrics) {
        this(server, tenants, backends, models, routing, metrics, NotificationsConfig.defaults());
    }

    /** A config with the default sections for everything after {@code notifications}. */
    public GatewayConfig(ServerConfig server, List<TenantConfig> tenants, List<BackendConfig> backends,
            ModelsConfig models, RoutingConfig routing, MetricsConfig metrics, NotificationsConfig notifications) {
        this(server, tenants, backends, models, routing, metrics, notifications, SecurityConfig.defaults(),
                LoggingConfig.defaults(), StoreConfig.defaults(), AdminConfig.defaults(), RequestLogConfig.defaults(),
                ReloadConfig.defaults(), LimitsConfig.defaults(), Map.of());
    }

    /** This config with other tenants, backends and aliases (the file's merged with the store's). */
    public GatewayConfig withEntities(List<TenantConfig> tenants, List<BackendConfig> backends, ModelsConfig models) {
        return new GatewayConfig(server, tenants, backends, models, routing, metrics, notifications, security, logging,
                store, admin, requestLog, reload, limits, prices);
    }

    /** Every name a client may ask for: each deployment's {@code model} and each alias, sorted. */
    public Set<String> publicModels() {
        return publicModels(backends, models);
    }

    private static Set<String> publicModels(List<BackendConfig> backends, ModelsConfig models) {
        Set<String> names = new TreeSet<>(models.aliases().keySet());
        for (BackendConfig backend : backends) {
            backend.deployments().forEach(deployment -> names.add(deployment.model()));
        }
        return Collections.unmodifiableSet(names);
    }

    /** Checks names are unique; returns each served public model with the first backend serving it. */
    private static Map<String, String> checkBackends(Problems problems, List<BackendConfig> backends) {
        Map<String, String> servingBackend = new HashMap<>();
        if (backends == null) {
            return servingBackend;
        }
        Map<String, Integer> names = new HashMap<>();
        for (int i = 0; i < backends.size(); i++) {
            BackendConfig backend = backends.get(i);
            String path = Problems.index("backends", i);
            if (backend == null) {
                problems.add(path, "is required");
                continue;
            }
            if (names.putIfAbsent(backend.name(), i) != null) {
                problems.add(path + ".name", "duplicate backend name '" + backend.name() + "'");
            }
            backend.deployments().forEach(deployment -> servingBackend.putIfAbsent(deployment.model(), backend.name()));
        }
        return servingBackend;
    }

    private static void checkAliases(Problems problems, ModelsConfig models, List<BackendConfig> backends,
            Map<String, String> servingBackend, boolean servedModelsKnown) {
        if (models == null || backends == null) {
            return;
        }
        Map<String, BackendConfig> backendsByName = new LinkedHashMap<>();
        backends.stream().filter(Objects::nonNull).forEach(b -> backendsByName.putIfAbsent(b.name(), b));
        models.aliases().forEach((name, alias) -> {
            String path = "models.aliases." + name;
            if (servingBackend.containsKey(name)) {
                problems.add(path, "'" + name + "' is already a model served by backend '"
                        + servingBackend.get(name) + "' (an alias cannot hide it)");
            }
            if (!servedModelsKnown) {
                return;
            }
            if (alias.pinned()) {
                BackendConfig backend = backendsByName.get(alias.backend());
                if (backend == null) {
                    problems.add(path, "no backend is named '" + alias.backend() + "'");
                } else if (!backend.serves(alias.model())) {
                    problems.add(path, "backend '" + alias.backend() + "' does not serve '" + alias.model() + "'");
                }
            } else if (!servingBackend.containsKey(alias.model())) {
                problems.add(path, "model '" + alias.model() + "' is not served by any backend");
            }
        });
    }

    private static void checkTenants(Problems problems, List<TenantConfig> tenants, Set<String> publicModels) {
        if (tenants == null) {
            return;
        }
        Map<String, Integer> names = new HashMap<>();
        Map<KeyHash, Integer> keyOwners = new HashMap<>();
        for (int i = 0; i < tenants.size(); i++) {
            TenantConfig tenant = tenants.get(i);
            String path = Problems.index("tenants", i);
            if (tenant == null) {
                problems.add(path, "is required");
                continue;
            }
            if (names.putIfAbsent(tenant.name(), i) != null) {
                problems.add(path + ".name", "duplicate tenant name '" + tenant.name() + "'");
            }
            for (int k = 0; k < tenant.keys().size(); k++) {
                Integer owner = keyOwners.putIfAbsent(tenant.keys().get(k).hash(), i);
                // Within one tenant, TenantConfig has already reported the duplicate.
                if (owner != null && owner != i) {
                    problems.add(Problems.index(path + ".keys", k),
                            "key already used by tenant '" + tenants.get(owner).name() + "'");
                }
            }
            if (publicModels == null) {
                continue;
            }
            for (int m = 0; m < tenant.models().size(); m++) {
                String model = tenant.models().get(m);
                if (!model.equals(TenantConfig.ALL_MODELS) && !publicModels.contains(model)) {
                    problems.add(Problems.index(path + ".models", m),
                            "unknown model '" + model + "' (no backend or alias serves it)");
                }
            }
        }
    }

    /** An admin key that is also a tenant key would let a tenant administer the gateway. */
    private static void checkAdminKeys(Problems problems, AdminConfig admin, List<TenantConfig> tenants) {
        if (admin == null || tenants == null) {
            return;
        }
        for (int i = 0; i < admin.keys().size(); i++) {
            KeyHash hash = admin.keys().get(i).hash();
            for (TenantConfig tenant : tenants) {
                if (tenant != null && tenant.keys().stream().anyMatch(k -> k.hash().equals(hash))) {
                    problems.add(Problems.index("admin.keys", i),
                            "is also a key of tenant '" + tenant.name() + "' (admin keys must be separate)");
                }
            }
        }
    }

    private static void checkRouting(Problems problems, RoutingConfig routing, Set<String> publicModels) {
        if (routing == null || publicModels == null) {
            return;
        }
        for (String model : routing.perModel().keySet()) {
            if (!publicModels.contains(model)) {
                problems.add("routing.per_model." + model,
                        "unknown model '" + model + "' (no backend or alias serves it)");
            }
        }
    }

    /** Every backend's endpoint must be on {@code security.allowed_backend_hosts}, when there is such a list. */
    private static void checkBackendHosts(Problems problems, SecurityConfig security, List<BackendConfig> backends) {
        if (security == null || backends == null) {
            return;
        }
        BackendHosts allowed = security.backendHosts();
        for (int i = 0; i < backends.size(); i++) {
            BackendConfig backend = backends.get(i);
            String problem = backend == null ? null : EndpointPolicy.problem(backend.endpoint(), allowed);
            if (problem != null) {
                problems.add(Problems.index("backends", i) + ".endpoint", problem);
            }
        }
    }

    /**
     * Backends on one host and port share the upstream client's connections to it, and so its trust: they must
     * agree on {@code tls}.
     */
    private static void checkTlsPeers(Problems problems, List<BackendConfig> backends) {
        if (backends == null) {
            return;
        }
        Map<String, Integer> firstOnPeer = new HashMap<>();
        for (int i = 0; i < backends.size(); i++) {
            BackendConfig backend = backends.get(i);
            if (backend == null || backend.endpoint().getHost() == null) {
                continue;
            }
            URI endpoint = backend.endpoint();
            int port = endpoint.getPort() >= 0 ? endpoint.getPort() : "https".equalsIgnoreCase(endpoint.getScheme()) ? 443 : 80;
            String peer = endpoint.getHost().toLowerCase(Locale.ROOT) + ":" + port;
            Integer first = firstOnPeer.putIfAbsent(peer, i);
            if (first != null && !backends.get(first).tls().equals(backend.tls())) {
                problems.add(Problems.index("backends", i) + ".tls",
                        "backend '" + backends.get(first).name() + "' is on the same host and port with another tls"
                                + " setting (connections to one host and port share one trust)");
            }
        }
    }
}
