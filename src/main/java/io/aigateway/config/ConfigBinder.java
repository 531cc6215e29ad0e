package io.aigateway.config;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Binds the parsed file to the config records: knows the file's shape (field names, which are optional, their
 * defaults) and leaves the rules on values to the records' constructors.
 */
final class ConfigBinder {

    private static final Set<String> ROOT_FIELDS = Set.of("server", "tenants", "backends", "models", "routing",
            "metrics", "notifications", "security", "logging", "store", "admin", "request_log", "reload", "limits",
            "prices");
    private static final Set<String> SERVER_FIELDS = Set.of("host", "port", "max_request_bytes", "max_in_flight");
    private static final Set<String> TENANT_FIELDS = Set.of("name", "keys", "models", "limits", "model_limits",
            "quota", "backend_groups", "capture_bodies");
    private static final Set<String> RATE_LIMIT_FIELDS = Set.of("rpm", "tpm", "concurrency");
    private static final Set<String> PER_MINUTE_FIELDS = Set.of("rpm", "tpm");
    private static final Set<String> KEY_FIELDS = Set.of("key", "hash", "id", "expires", "limits", "quota");
    private static final Set<String> BACKEND_FIELDS = Set.of("name", "flavor", "endpoint", "api_version", "keys",
            "weight", "priority", "enabled", "headers", "timeouts", "deployments", "models", "retries_per_backend",
            "circuit_breaker", "health_check", "quota_group", "tls");
    private static final Set<String> TLS_FIELDS = Set.of("ca_file");
    private static final Set<String> TIMEOUT_FIELDS = Set.of("connect", "first_byte", "stream_first_byte", "idle",
            "adaptive");
    private static final Set<String> ADAPTIVE_TIMEOUT_FIELDS = Set.of("min", "max");
    private static final Set<String> CIRCUIT_BREAKER_FIELDS = Set.of("consecutive_failures", "failure_rate",
            "minimum_calls", "window", "open_for", "max_open_for", "half_open_calls");
    private static final Set<String> HEALTH_CHECK_FIELDS = Set.of("enabled", "interval", "timeout",
            "healthy_threshold", "unhealthy_threshold");
    private static final Set<String> DEPLOYMENT_FIELDS = Set.of("name", "model", "max_context_tokens", "stream",
            "non_stream", "limits");
    private static final Set<String> MODELS_FIELDS = Set.of("aliases", "limits");
    private static final Set<String> ROUTING_FIELDS = Set.of("strategy", "per_model", "max_attempts", "retry_budget",
            "request_timeout", "max_retry_after");
    private static final Set<String> RETRY_BUDGET_FIELDS = Set.of("percent", "min_concurrent");

    private static final String STRATEGY_NAMES = strategyNames();

    private static final Pattern DEPLOYMENT_PATH = Pattern.compile("deployments\\[(\\d+)](.*)");

    private ConfigBinder() {
    }

    /** Returns the config, or null when anything is wrong (every problem is then reported to the node). */
    static GatewayConfig bind(ConfigNode root) {
        if (!root.expectFields(ROOT_FIELDS)) {
            return null;
        }
        ServerConfig server = server(root.field("server"));
        List<BackendConfig> backends = list(root.field("backends"), ConfigBinder::backend);
        List<TenantConfig> tenants = list(root.field("tenants"), ConfigBinder::tenant);
        ModelsConfig models = models(root.field("models"), backends);
        RoutingConfig routing = routing(root.field("routing"));
        MetricsConfig metrics = OperationsBinder.metrics(root.field("metrics"));
        NotificationsConfig notifications = OperationsBinder.notifications(root.field("notifications"));
        SecurityConfig security = OperationsBinder.security(root.field("security"));
        LoggingConfig logging = OperationsBinder.logging(root.field("logging"));
        StoreConfig store = OperationsBinder.store(root.field("store"));
        AdminConfig admin = OperationsBinder.admin(root.field("admin"));
        RequestLogConfig requestLog = OperationsBinder.requestLog(root.field("request_log"));
        ReloadConfig reload = OperationsBinder.reload(root.field("reload"));
        LimitsConfig limits = LimitsBinder.limits(root.field("limits"));
        Map<String, PriceConfig> prices = LimitsBinder.prices(root.field("prices"));
        return root.build(() -> new GatewayConfig(server, tenants, backends, models, routing, metrics,
                notifications, security, logging, store, admin, requestLog, reload, limits, prices));
    }

    /** One backend given alone (an admin API body), with paths relative to it. */
    static BackendConfig bindBackend(ConfigNode node) {
        return backend(node);
    }

    private static ServerConfig server(ConfigNode node) {
        if (node.isAbsent()) {
            return ServerConfig.defaults();
        }
        if (!node.expectFields(SERVER_FIELDS)) {
            return null;
        }
        String host = orElse(node.field("host").string(), ServerConfig.DEFAULT_HOST);
        int port = orElse(node.field("port").integer(), ServerConfig.DEFAULT_PORT);
        long maxRequestBytes = orElse(node.field("max_request_bytes").longInteger(),
                ServerConfig.DEFAULT_MAX_REQUEST_BYTES);
        int maxInFlight = orElse(node.field("max_in_flight").integer(), ServerConfig.DEFAULT_MAX_IN_FLIGHT);
        return node.build(() -> new ServerConfig(host, port, maxRequestBytes, maxInFlight));
    }

    /** Reads the CA file now, so that a missing or unreadable file is a config error, not a failed request. */
    private static BackendTlsConfig tls(ConfigNode node) {
        if (node.isAbsent()) {
            return BackendTlsConfig.DEFAULT;
        }
        if (!node.expectFields(TLS_FIELDS)) {
            return null;
        }
        ConfigNode caFile = node.field("ca_file");
        String path = caFile.string();
        if (path == null) {
            return caFile.isAbsent() ? BackendTlsConfig.DEFAULT : null;
        }
        try {
            return BackendTlsConfig.caFile(Path.of(path.trim()));
        } catch (IllegalArgumentException e) { // InvalidPathException included
            caFile.problem(e.getMessage());
            return null;
        }
    }

    static TenantConfig tenant(ConfigNode node) {
        if (!node.expectFields(TENANT_FIELDS)) {
            return null;
        }
        String name = node.field("name").string();
        List<KeyConfig> keys = list(node.field("keys"), ConfigBinder::tenantKey);
        List<String> models = strings(node.field("models"));
        RateLimitConfig limits = LimitsBinder.rateLimits(node.field("limits"), RATE_LIMIT_FIELDS);
        Map<String, RateLimitConfig> modelLimits = LimitsBinder.perModel(node.field("model_limits"));
        ConfigNode quotaNode = node.field("quota");
        QuotaConfig quota = quotaNode.isAbsent() ? null : LimitsBinder.quota(quotaNode);
        ConfigNode groupsNode = node.field("backend_groups");
        List<String> backendGroups = groupsNode.isAbsent() ? List.of() : strings(groupsNode);
        Boolean captureBodies = node.field("capture_bodies").bool();
        return node.build(() -> new TenantConfig(name, keys, models, limits, modelLimits, quota, backendGroups,
                captureBodies));
    }

    /** A key as a plain string, or as an object {@code {key | hash, id, expires}}. */
    static KeyConfig tenantKey(ConfigNode node) {
        if (!node.isMap()) {
            KeyHash hash = keyHash(node);
            return hash == null ? null : KeyConfig.of(hash);
        }
        if (!node.expectFields(KEY_FIELDS)) {
            return null;
        }
        ConfigNode raw = node.field("key");
        ConfigNode hashed = node.field("hash");
        KeyHash hash = null;
        if (raw.isAbsent() == hashed.isAbsent()) {
            node.problem("must have exactly one of 'key' and 'hash'");
        } else if (!raw.isAbsent()) {
            hash = keyHash(raw);
        } else {
            String text = hashed.string();
            if (text != null && !text.startsWith(KeyHash.PREFIX)) {
                hashed.problem("must be 'sha256:' followed by 64 hex digits");
            } else if (text != null) {
                hash = keyHash(hashed);
            }
        }
        KeyHash finalHash = hash;
        String id = node.field("id").string();
        Instant expires = instant(node.field("expires"));
        RateLimitConfig limits = LimitsBinder.rateLimits(node.field("limits"), RATE_LIMIT_FIELDS);
        ConfigNode quotaNode = node.field("quota");
        QuotaConfig quota = quotaNode.isAbsent() ? null : LimitsBinder.quota(quotaNode);
        if (finalHash == null) {
            return null;
        }
        return node.build(() -> new KeyConfig(id == null ? KeyConfig.defaultId(finalHash) : id, finalHash, expires,
                limits, quota));
    }

    /** An ISO-8601 instant ({@code 2027-01-01T00:00:00Z}) or a date ({@code 2027-01-01}, midnight UTC). */
    private static Instant instant(ConfigNode node) {
        String text = node.scalarText();
        if (text == null) {
            return null;
        }
        try {
            return text.length() == 10 ? LocalDate.parse(text).atStartOfDay(ZoneOffset.UTC).toInstant()
                    : OffsetDateTime.parse(text).toInstant();
        } catch (DateTimeParseException e) {
            node.problem("must be an ISO-8601 date or date-time with offset, such as 2027-01-01T00:00:00Z");
            return null;
        }
    }

    /** Hashes a raw key at once, so it is never kept; a {@code sha256:} key is already hashed. */
    private static KeyHash keyHash(ConfigNode node) {
        String key = node.string();
        if (key == null) {
            return null;
        }
        if (key.isBlank()) {
            node.problem("must not be blank");
            return null;
        }
        if (!key.startsWith(KeyHash.PREFIX)) {
            if (!key.equals(key.strip())) {
                // HTTP trims header values, so no client could ever send this key.
                node.problem("must not start or end with whitespace");
                return null;
            }
            if (!key.chars().allMatch(c -> c > 0x20 && c < 0x7f)) {
                // Containers read header bytes as ISO-8859-1, so a key outside printable ASCII would never match.
                node.problem("must be printable ASCII without spaces");
                return null;
            }
            return KeyHash.ofRawKey(key);
        }
        try {
            return KeyHash.parse(key);
        } catch (IllegalArgumentException e) {
            node.problem(e.getMessage());
            return null;
        }
    }

    private static BackendConfig backend(ConfigNode node) {
        if (!node.expectFields(BACKEND_FIELDS)) {
            return null;
        }
        String name = node.field("name").string();
        Flavor flavor = flavor(node.field("flavor"));
        URI endpoint = endpoint(node.field("endpoint"));
        String apiVersion = node.field("api_version").string();
        List<String> keys = strings(node.field("keys"));
        int weight = orElse(node.field("weight").integer(), BackendConfig.DEFAULT_WEIGHT);
        int priority = orElse(node.field("priority").integer(), BackendConfig.DEFAULT_PRIORITY);
        boolean enabled = orElse(node.field("enabled").bool(), true);
        Map<String, String> headers = headers(node.field("headers"));
        TimeoutsConfig timeouts = timeouts(node.field("timeouts"));
        int retriesPerBackend = orElse(node.field("retries_per_backend").integer(),
                BackendConfig.DEFAULT_RETRIES_PER_BACKEND);
        CircuitBreakerConfig circuitBreaker = circuitBreaker(node.field("circuit_breaker"));
        HealthCheckConfig healthCheck = healthCheck(node.field("health_check"));
        String quotaGroup = node.field("quota_group").string();
        BackendTlsConfig tls = tls(node.field("tls"));
        List<DeploymentConfig> deployments = new ArrayList<>();
        List<DeploymentConfig> explicit = list(node.field("deployments"), ConfigBinder::deployment);
        if (explicit != null) {
            deployments.addAll(explicit);
        }
        int shorthandStart = deployments.size();
        List<DeploymentConfig> shorthand = list(node.field("models"), ConfigBinder::shorthandDeployment);
        if (shorthand != null) {
            deployments.addAll(shorthand);
        }
        return node.build(
                () -> new BackendConfig(name, flavor, endpoint, apiVersion, keys, weight, priority, enabled,
                        headers, timeouts, deployments, retriesPerBackend, circuitBreaker, healthCheck, quotaGroup, tls),
                path -> shorthandPath(path, shorthandStart));
    }

    private static Flavor flavor(ConfigNode node) {
        String name = node.string();
        if (name == null) {
            return null;
        }
        return Flavor.fromConfigName(name).orElseGet(() -> {
            node.problem("'" + name + "' is not a flavor (use openai, azure or azure-v1)");
            return null;
        });
    }

    static URI endpoint(ConfigNode node) {
        String text = node.string();
        if (text == null) {
            return null;
        }
        try {
            return new URI(text.trim());
        } catch (URISyntaxException e) {
            node.problem("not an absolute http(s) URL");
            return null;
        }
    }

    private static Map<String, String> headers(ConfigNode node) {
        Map<String, ConfigNode> entries = node.entries();
        if (entries == null) {
            return null;
        }
        Map<String, String> headers = new LinkedHashMap<>();
        entries.forEach((name, value) -> headers.put(name, value.string()));
        return headers;
    }

    private static TimeoutsConfig timeouts(ConfigNode node) {
        if (node.isAbsent()) {
            return TimeoutsConfig.defaults();
        }
        if (!node.expectFields(TIMEOUT_FIELDS)) {
            return null;
        }
        Duration connect = duration(node.field("connect"), TimeoutsConfig.DEFAULT_CONNECT);
        Duration firstByte = duration(node.field("first_byte"), TimeoutsConfig.DEFAULT_FIRST_BYTE);
        Duration streamFirstByte = duration(node.field("stream_first_byte"),
                TimeoutsConfig.DEFAULT_STREAM_FIRST_BYTE);
        Duration idle = duration(node.field("idle"), TimeoutsConfig.DEFAULT_IDLE);
        ConfigNode adaptiveNode = node.field("adaptive");
        AdaptiveTimeoutConfig adaptive = adaptiveNode.isAbsent() ? null : adaptiveTimeout(adaptiveNode);
        return node.build(() -> new TimeoutsConfig(connect, firstByte, streamFirstByte, idle, adaptive));
    }

    /** Both bounds are required: there is no good default for how fast a backend ought to be. */
    private static AdaptiveTimeoutConfig adaptiveTimeout(ConfigNode node) {
        if (!node.expectFields(ADAPTIVE_TIMEOUT_FIELDS)) {
            return null;
        }
        Duration min = duration(node.field("min"), null);
        Duration max = duration(node.field("max"), null);
        return node.build(() -> new AdaptiveTimeoutConfig(min, max));
    }

    private static CircuitBreakerConfig circuitBreaker(ConfigNode node) {
        if (node.isAbsent()) {
            return CircuitBreakerConfig.defaults();
        }
        if (!node.expectFields(CIRCUIT_BREAKER_FIELDS)) {
            return null;
        }
        int consecutiveFailures = orElse(node.field("consecutive_failures").integer(),
                CircuitBreakerConfig.DEFAULT_CONSECUTIVE_FAILURES);
        int failureRate = orElse(node.field("failure_rate").integer(),
                CircuitBreakerConfig.DEFAULT_FAILURE_RATE_PERCENT);
        int minimumCalls = orElse(node.field("minimum_calls").integer(), CircuitBreakerConfig.DEFAULT_MINIMUM_CALLS);
        Duration window = duration(node.field("window"), CircuitBreakerConfig.DEFAULT_WINDOW);
        Duration openFor = duration(node.field("open_for"), CircuitBreakerConfig.DEFAULT_OPEN_FOR);
        Duration maxOpenFor = duration(node.field("max_open_for"), CircuitBreakerConfig.DEFAULT_MAX_OPEN_FOR);
        int halfOpenCalls = orElse(node.field("half_open_calls").integer(),
                CircuitBreakerConfig.DEFAULT_HALF_OPEN_CALLS);
        return node.build(() -> new CircuitBreakerConfig(consecutiveFailures, failureRate, minimumCalls, window,
                openFor, maxOpenFor, halfOpenCalls));
    }

    private static HealthCheckConfig healthCheck(ConfigNode node) {
        if (node.isAbsent()) {
            return HealthCheckConfig.defaults();
        }
        if (!node.expectFields(HEALTH_CHECK_FIELDS)) {
            return null;
        }
        boolean enabled = orElse(node.field("enabled").bool(), HealthCheckConfig.DEFAULT_ENABLED);
        Duration interval = duration(node.field("interval"), HealthCheckConfig.DEFAULT_INTERVAL);
        Duration timeout = duration(node.field("timeout"), HealthCheckConfig.DEFAULT_TIMEOUT);
        int healthyThreshold = orElse(node.field("healthy_threshold").integer(),
                HealthCheckConfig.DEFAULT_HEALTHY_THRESHOLD);
        int unhealthyThreshold = orElse(node.field("unhealthy_threshold").integer(),
                HealthCheckConfig.DEFAULT_UNHEALTHY_THRESHOLD);
        return node.build(() -> new HealthCheckConfig(enabled, interval, timeout, healthyThreshold,
                unhealthyThreshold));
    }

    static Duration duration(ConfigNode node, Duration fallback) {
        if (node.isAbsent()) {
            return fallback;
        }
        String text = node.scalarText();
        if (text == null) {
            return null;
        }
        try {
            return Durations.parse(text);
        } catch (IllegalArgumentException e) {
            node.problem(e.getMessage());
            return null;
        }
    }

    private static DeploymentConfig deployment(ConfigNode node) {
        if (!node.expectFields(DEPLOYMENT_FIELDS)) {
            return null;
        }
        String name = node.field("name").string();
        String model = node.field("model").string();
        Integer maxContextTokens = node.field("max_context_tokens").integer();
        boolean stream = orElse(node.field("stream").bool(), true);
        boolean nonStream = orElse(node.field("non_stream").bool(), true);
        RateLimitConfig limits = LimitsBinder.rateLimits(node.field("limits"), PER_MINUTE_FIELDS);
        return node.build(() -> new DeploymentConfig(name, model, maxContextTokens, stream, nonStream, limits));
    }

    /** An entry {@code M} of the {@code models[]} shorthand is a deployment named {@code M} serving {@code M}. */
    private static DeploymentConfig shorthandDeployment(ConfigNode node) {
        String model = node.string();
        // Both of the record's fields are this one string, so its problems belong to the string itself.
        return node.build(() -> new DeploymentConfig(model, model), field -> "");
    }

    /**
     * The record numbers {@code models[]} shorthand entries after the explicit deployments; the file numbers
     * them in their own list.
     */
    private static String shorthandPath(String path, int shorthandStart) {
        Matcher matcher = DEPLOYMENT_PATH.matcher(path);
        if (!matcher.matches()) {
            return path;
        }
        int index = Integer.parseInt(matcher.group(1));
        return index < shorthandStart ? path : Problems.index("models", index - shorthandStart);
    }

    private static ModelsConfig models(ConfigNode node, List<BackendConfig> backends) {
        if (node.isAbsent()) {
            return ModelsConfig.defaults();
        }
        if (!node.expectFields(MODELS_FIELDS)) {
            return null;
        }
        ConfigNode aliasesNode = node.field("aliases");
        Map<String, ConfigNode> entries = aliasesNode.isAbsent() ? Map.of() : aliasesNode.entries();
        Map<String, RateLimitConfig> limits = LimitsBinder.perModel(node.field("limits"));
        if (entries == null) {
            return null;
        }
        AliasTargets targets = new AliasTargets(backends, entries.keySet());
        Map<String, AliasConfig> aliases = new LinkedHashMap<>();
        entries.forEach((name, target) -> aliases.put(name, targets.resolve(target)));
        return node.build(() -> new ModelsConfig(aliases, limits));
    }

    private static RoutingConfig routing(ConfigNode node) {
        if (node.isAbsent()) {
            return RoutingConfig.defaults();
        }
        if (!node.expectFields(ROUTING_FIELDS)) {
            return null;
        }
        ConfigNode strategyNode = node.field("strategy");
        RoutingStrategy strategy = strategyNode.isAbsent() ? RoutingConfig.DEFAULT_STRATEGY : strategy(strategyNode);
        Map<String, RoutingStrategy> perModel = perModel(node.field("per_model"));
        int maxAttempts = orElse(node.field("max_attempts").integer(), RoutingConfig.DEFAULT_MAX_ATTEMPTS);
        RetryBudgetConfig retryBudget = retryBudget(node.field("retry_budget"));
        Duration requestTimeout = duration(node.field("request_timeout"), RoutingConfig.DEFAULT_REQUEST_TIMEOUT);
        Duration maxRetryAfter = duration(node.field("max_retry_after"), RoutingConfig.DEFAULT_MAX_RETRY_AFTER);
        return node.build(() -> new RoutingConfig(strategy, perModel, maxAttempts, retryBudget, requestTimeout,
                maxRetryAfter));
    }

    /** Whether each model is a public one is checked by {@link GatewayConfig}, which knows them all. */
    private static Map<String, RoutingStrategy> perModel(ConfigNode node) {
        Map<String, ConfigNode> entries = node.entries();
        if (entries == null) {
            return null;
        }
        Map<String, RoutingStrategy> perModel = new LinkedHashMap<>();
        entries.forEach((model, value) -> perModel.put(model, strategy(value)));
        return perModel;
    }

    private static RoutingStrategy strategy(ConfigNode node) {
        String name = node.string();
        if (name == null) {
            return null;
        }
        return RoutingStrategy.fromConfigName(name).orElseGet(() -> {
            node.problem("'" + name + "' is not a routing strategy (use " + STRATEGY_NAMES + ")");
            return null;
        });
    }

    private static RetryBudgetConfig retryBudget(ConfigNode node) {
        if (node.isAbsent()) {
            return RetryBudgetConfig.defaults();
        }
        if (!node.expectFields(RETRY_BUDGET_FIELDS)) {
            return null;
        }
        int percent = orElse(node.field("percent").integer(), RetryBudgetConfig.DEFAULT_PERCENT);
        int minConcurrent = orElse(node.field("min_concurrent").integer(), RetryBudgetConfig.DEFAULT_MIN_CONCURRENT);
        return node.build(() -> new RetryBudgetConfig(percent, minConcurrent));
    }

    static List<String> strings(ConfigNode node) {
        return list(node, ConfigNode::string);
    }

    /**
     * Binds each item of a list. An item that fails stays in the list as null, so that problems the record
     * finds later carry the item's index in the file.
     *
     * @return null when the node is not a list
     */
    static <T> List<T> list(ConfigNode node, Function<ConfigNode, T> binder) {
        List<ConfigNode> items = node.items();
        if (items == null) {
            return null;
        }
        List<T> bound = new ArrayList<>(items.size());
        items.forEach(item -> bound.add(binder.apply(item)));
        return bound;
    }

    /** "a, b or c", in declaration order, so the message follows the enum. */
    private static String strategyNames() {
        RoutingStrategy[] all = RoutingStrategy.values();
        StringBuilder names = new StringBuilder();
        for (int i = 0; i < all.length; i++) {
            names.append(i == 0 ? "" : i == all.length - 1 ? " or " : ", ").append(all[i].configName());
        }
        return names.toString();
    }

    static <T> T orElse(T value, T fallback) {
        return value != null ? value : fallback;
    }
}
