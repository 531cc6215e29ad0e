package io.aigateway.config;

import java.net.URI;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * One entry of {@code backends[]}: an upstream API endpoint and the models it serves.
 *
 * @param name        {@code backends[].name}: unique among backends, without {@code :} or {@code /} (aliases write
 *                    {@code backend:model}); shows up in logs, metrics and health
 * @param flavor      {@code backends[].flavor}: {@code openai}, {@code azure} or {@code azure-v1}
 * @param endpoint    {@code backends[].endpoint}: an absolute http(s) URL with a host and no query, fragment or
 *                    user info, e.g. {@code https://api.openai.com/v1} or {@code https://my.openai.azure.com};
 *                    kept without a trailing {@code /}
 * @param apiVersion  {@code backends[].api_version}: the {@code api-version} query parameter of the {@code azure}
 *                    flavor, default {@value #DEFAULT_AZURE_API_VERSION}; null for other flavors, where giving
 *                    one is an error
 * @param keys        {@code backends[].keys[]}: the upstream API keys, used in turn; empty when the backend needs
 *                    no auth header. Secret: never printed by {@link #toString()}.
 * @param weight      {@code backends[].weight}: the share of traffic among backends of the same priority,
 *                    at least 1; default 1
 * @param priority    {@code backends[].priority}: 0 or more, default 0; lower is preferred, higher values only
 *                    take traffic when every backend with a lower value is unavailable
 * @param enabled     {@code backends[].enabled}: false takes the backend out of rotation without deleting it;
 *                    default true
 * @param headers     {@code backends[].headers}: extra headers sent upstream, name → value, in file order; not
 *                    for headers the gateway itself sets (framing, {@code Host}, auth). Values may be secret:
 *                    never printed by {@link #toString()}.
 * @param timeouts    {@code backends[].timeouts}: connect, first byte (streaming or not) and idle timeouts, and
 *                    the bounds of adaptive ones
 * @param deployments {@code backends[].deployments[]} followed by the {@code models[]} shorthand: the models this
 *                    backend serves; at least one, each public model at most once
 * @param retriesPerBackend {@code backends[].retries_per_backend}: how many times a failed attempt is retried on
 *                    this same backend before the request moves on to another; 0 or more, default
 *                    {@value #DEFAULT_RETRIES_PER_BACKEND}. Every attempt counts against
 *                    {@code routing.max_attempts}.
 * @param circuitBreaker {@code backends[].circuit_breaker}: when the backend's deployments are taken out of
 *                    rotation after failures; defaults apply when absent
 * @param healthCheck {@code backends[].health_check}: active probes of the backend; off when absent
 * @param quotaGroup  {@code backends[].quota_group}: backends that share one upstream quota (one account or
 *                    subscription) give the same name, so that a rate limit or exhausted quota reported by one
 *                    benches them all; null when absent (the backend shares its quota with no other)
 * @param tls         {@code backends[].tls}: how the backend's certificate is verified; the JDK's trust store when
 *                    absent. Verification (host name included) is never off.
 */
public record BackendConfig(
        String name,
        Flavor flavor,
        URI endpoint,
        String apiVersion,
        List<String> keys,
        int weight,
        int priority,
        boolean enabled,
        Map<String, String> headers,
        TimeoutsConfig timeouts,
        List<DeploymentConfig> deployments,
        int retriesPerBackend,
        CircuitBreakerConfig circuitBreaker,
        HealthCheckConfig healthCheck,
        String quotaGroup,
        BackendTlsConfig tls) {

    /** The Azure OpenAI GA API version used when an {@code azure} backend gives none. */
    public static final String DEFAULT_AZURE_API_VERSION = "2024-10-21";
    /** Every backend gets an equal share unless told otherwise. */
    public static final int DEFAULT_WEIGHT = 1;
    /** The most preferred tier. */
    public static final int DEFAULT_PRIORITY = 0;
    /** No retries on the same backend: a failure moves the request to another deployment. */
    public static final int DEFAULT_RETRIES_PER_BACKEND = 0;

    // RFC 9110 token characters.
    private static final Pattern HEADER_NAME = Pattern.compile("[!#$%&'*+\\-.^_`|~0-9A-Za-z]+");
    // Framing and routing are the HTTP client's job and auth is the flavor's: letting a config set them would
    // corrupt requests or leak one backend's credentials next to another's.
    private static final Set<String> RESERVED_HEADERS = Set.of(
            "host", "content-length", "transfer-encoding", "connection", "authorization", "api-key",
            "keep-alive", "proxy-connection", "te", "trailer", "upgrade");

    /** @throws ConfigException naming each field that breaks its rule */
    public BackendConfig {
        Problems problems = new Problems();
        if (Names.requireNonBlank(problems, "name", name) && (name.contains(":") || name.contains("/"))) {
            problems.add("name", "must not contain ':' or '/'");
        }
        if (flavor == null) {
            problems.add("flavor", "is required");
        }
        endpoint = checkEndpoint(problems, endpoint);
        if (flavor == Flavor.AZURE) {
            if (apiVersion == null) {
                apiVersion = DEFAULT_AZURE_API_VERSION;
            } else {
                Names.requireNonBlank(problems, "api_version", apiVersion);
            }
        } else if (flavor != null && apiVersion != null) {
            problems.add("api_version", "only allowed when flavor is azure");
        }
        checkKeys(problems, keys);
        if (weight < 1) {
            problems.add("weight", "must be at least 1");
        }
        if (priority < 0) {
            problems.add("priority", "must not be negative");
        }
        checkHeaders(problems, headers);
        if (timeouts == null) {
            problems.add("timeouts", "is required");
        }
        checkDeployments(problems, deployments);
        if (retriesPerBackend < 0) {
            problems.add("retries_per_backend", "must not be negative");
        }
        if (circuitBreaker == null) {
            problems.add("circuit_breaker", "is required");
        }
        if (healthCheck == null) {
            problems.add("health_check", "is required");
        }
        if (quotaGroup != null) {
            Names.requireNonBlank(problems, "quota_group", quotaGroup);
        }
        if (tls == null) {
            problems.add("tls", "is required");
        }
        problems.throwIfAny("BackendConfig");
        keys = List.copyOf(keys);
        // Map.copyOf would lose the order in which the operator wrote the headers.
        headers = Collections.unmodifiableMap(new LinkedHashMap<>(headers));
        deployments = List.copyOf(deployments);
    }

    /** A backend verified against the JDK's trust store. */
    public BackendConfig(String name, Flavor flavor, URI endpoint, String apiVersion, List<String> keys, int weight,
            int priority, boolean enabled, Map<String, String> headers, TimeoutsConfig timeouts,
            List<DeploymentConfig> deployments, int retriesPerBackend, CircuitBreakerConfig circuitBreaker,
            HealthCheckConfig healthCheck, String quotaGroup) {
        this(name, flavor, endpoint, apiVersion, keys, weight, priority, enabled, headers, timeouts, deployments,
                retriesPerBackend, circuitBreaker, healthCheck, quotaGroup, BackendTlsConfig.DEFAULT);
    }

    /** Whether one of this backend's deployments serves the public model. */
    public boolean serves(String publicModel) {
        return deployments.stream().anyMatch(deployment -> deployment.model().equals(publicModel));
    }

    /** Everything but the secrets: keys are counted, and of the headers only the names are shown. */
    @Override
    public String toString() {
        return "BackendConfig[name=" + name + ", flavor=" + flavor.configName() + ", endpoint=" + endpoint
                + (apiVersion == null ? "" : ", api_version=" + apiVersion)
                + ", keys=" + keys.size() + " key(s), weight=" + weight + ", priority=" + priority
                + ", enabled=" + enabled + ", headers=" + headers.keySet() + ", timeouts=" + timeouts
                + ", deployments=" + deployments + ", retries_per_backend=" + retriesPerBackend
                + ", circuit_breaker=" + circuitBreaker + ", health_check=" + healthCheck
                + (quotaGroup == null ? "" : ", quota_group=" + quotaGroup)
                + (tls.customTrust() ? ", tls=" + tls : "") + "]";
    }

    private static URI checkEndpoint(Problems problems, URI endpoint) {
        if (endpoint == null) {
            problems.add("endpoint", "is required");
            return null;
        }
        String problem = EndpointPolicy.shapeProblem(endpoint);
        if (problem != null) {
            problems.add("endpoint", problem);
        } else {
            // Paths are appended to the endpoint, so "https://host/v1/" would produce "//chat/completions".
            String text = endpoint.toString();
            int end = text.length();
            while (text.charAt(end - 1) == '/') {
                end--;
            }
            return end == text.length() ? endpoint : URI.create(text.substring(0, end));
        }
        return endpoint;
    }

    private static void checkKeys(Problems problems, List<String> keys) {
        if (keys == null) {
            problems.add("keys", "is required (empty when the backend needs no key)");
            return;
        }
        for (int i = 0; i < keys.size(); i++) {
            // Messages never repeat a key: it is a secret.
            String path = Problems.index("keys", i);
            String key = keys.get(i);
            if (Names.requireNonBlank(problems, path, key) && (key.indexOf('\r') >= 0 || key.indexOf('\n') >= 0)) {
                // Typically a key file read with its final newline; sent as is, it would split the auth header.
                problems.add(path, "must not contain CR or LF");
            }
        }
    }

    private static void checkHeaders(Problems problems, Map<String, String> headers) {
        if (headers == null) {
            problems.add("headers", "is required (empty for none)");
            return;
        }
        Map<String, String> seen = new HashMap<>();
        headers.forEach((name, value) -> {
            if (name == null || !HEADER_NAME.matcher(name).matches()) {
                problems.add("headers", "'" + name + "' is not a valid header name");
                return;
            }
            String path = Problems.join("headers", name);
            String lowerCase = name.toLowerCase(Locale.ROOT);
            String previous = seen.putIfAbsent(lowerCase, name);
            if (RESERVED_HEADERS.contains(lowerCase)) {
                problems.add(path, "not allowed (the gateway sets this header)");
            } else if (previous != null) {
                problems.add(path, "duplicate header (same as '" + previous + "')");
            }
            if (value == null) {
                problems.add(path, "is required");
            } else if (value.indexOf('\r') >= 0 || value.indexOf('\n') >= 0) {
                // The value is not repeated: headers often carry credentials.
                problems.add(path, "must not contain CR or LF");
            }
        });
    }

    private static void checkDeployments(Problems problems, List<DeploymentConfig> deployments) {
        if (deployments == null || deployments.isEmpty()) {
            problems.add("", "serves no model (give deployments or models)");
            return;
        }
        Map<String, Integer> firstIndex = new HashMap<>();
        for (int i = 0; i < deployments.size(); i++) {
            DeploymentConfig deployment = deployments.get(i);
            String path = Problems.index("deployments", i);
            if (deployment == null) {
                problems.add(path, "is required");
                continue;
            }
            Integer first = firstIndex.putIfAbsent(deployment.model(), i);
            if (first != null) {
                problems.add(Problems.join(path, "model"),
                        "model '" + deployment.model() + "' is already served by this backend");
            }
        }
    }
}
