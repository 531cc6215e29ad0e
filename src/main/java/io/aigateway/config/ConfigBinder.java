package io.aigateway.config;

import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.ArrayList;
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

    private static final Set<String> ROOT_FIELDS = Set.of("server", "tenants", "backends", "models");
    private static final Set<String> SERVER_FIELDS = Set.of("host", "port", "max_request_bytes");
    private static final Set<String> TENANT_FIELDS = Set.of("name", "keys", "models");
    private static final Set<String> BACKEND_FIELDS = Set.of("name", "flavor", "endpoint", "api_version", "keys",
            "weight", "priority", "enabled", "headers", "timeouts", "deployments", "models");
    private static final Set<String> TIMEOUT_FIELDS = Set.of("connect", "first_byte", "idle");
    private static final Set<String> DEPLOYMENT_FIELDS = Set.of("name", "model");
    private static final Set<String> MODELS_FIELDS = Set.of("aliases");

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
        return root.build(() -> new GatewayConfig(server, tenants, backends, models));
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
        return node.build(() -> new ServerConfig(host, port, maxRequestBytes));
    }

    private static TenantConfig tenant(ConfigNode node) {
        if (!node.expectFields(TENANT_FIELDS)) {
            return null;
        }
        String name = node.field("name").string();
        List<KeyHash> keys = list(node.field("keys"), ConfigBinder::tenantKey);
        List<String> models = strings(node.field("models"));
        return node.build(() -> new TenantConfig(name, keys, models));
    }

    /** Hashes a raw key at once, so it is never kept; a {@code sha256:} key is already hashed. */
    private static KeyHash tenantKey(ConfigNode node) {
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
                        headers, timeouts, deployments),
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

    private static URI endpoint(ConfigNode node) {
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
        Duration idle = duration(node.field("idle"), TimeoutsConfig.DEFAULT_IDLE);
        return node.build(() -> new TimeoutsConfig(connect, firstByte, idle));
    }

    private static Duration duration(ConfigNode node, Duration fallback) {
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
        return node.build(() -> new DeploymentConfig(name, model));
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
        Map<String, ConfigNode> entries = node.field("aliases").entries();
        if (entries == null) {
            return null;
        }
        AliasTargets targets = new AliasTargets(backends, entries.keySet());
        Map<String, AliasConfig> aliases = new LinkedHashMap<>();
        entries.forEach((name, target) -> aliases.put(name, targets.resolve(target)));
        return node.build(() -> new ModelsConfig(aliases));
    }

    private static List<String> strings(ConfigNode node) {
        return list(node, ConfigNode::string);
    }

    /**
     * Binds each item of a list. An item that fails stays in the list as null, so that problems the record
     * finds later carry the item's index in the file.
     *
     * @return null when the node is not a list
     */
    private static <T> List<T> list(ConfigNode node, Function<ConfigNode, T> binder) {
        List<ConfigNode> items = node.items();
        if (items == null) {
            return null;
        }
        List<T> bound = new ArrayList<>(items.size());
        items.forEach(item -> bound.add(binder.apply(item)));
        return bound;
    }

    private static <T> T orElse(T value, T fallback) {
        return value != null ? value : fallback;
    }
}
