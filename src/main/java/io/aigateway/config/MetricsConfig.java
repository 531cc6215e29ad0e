package io.aigateway.config;

import java.util.List;

/**
 * The {@code metrics} section: the Prometheus endpoint.
 *
 * @param enabled {@code metrics.enabled}: whether the endpoint answers; default true. When false it answers 404
 *                like any path the gateway does not serve.
 * @param path    {@code metrics.path}: where the endpoint is, an absolute path such as {@code /ops/metrics};
 *                default {@value #DEFAULT_PATH}. It must not be under {@code /v1} or {@code /openai} (those need a
 *                gateway key) nor be {@code /health} or {@code /ready}. Read once at startup: a change needs a
 *                restart, while {@code enabled} and {@code access} follow a reload.
 * @param access  {@code metrics.access}: {@code open} (the default: no authentication), {@code admin} (an admin
 *                key from {@code admin.keys} is needed; tenant keys get 403; refused when there are no admin keys)
 *                or {@code disabled} (404).
 */
public record MetricsConfig(boolean enabled, String path, MetricsAccess access) {

    /** Where Prometheus looks unless told otherwise. */
    public static final String DEFAULT_PATH = "/metrics";

    /** Paths the gateway serves itself: the API (behind the key filter), the health endpoints, the error page. */
    private static final List<String> RESERVED = List.of("/v1", "/openai", "/health", "/ready", "/_error");

    /** @throws ConfigException naming each field that breaks its rule */
    public MetricsConfig {
        Problems problems = new Problems();
        if (path == null) {
            problems.add("path", "is required");
        } else if (!path.startsWith("/") || path.length() < 2 || path.chars().anyMatch(MetricsConfig::notInPath)) {
            problems.add("path", "must be an absolute path such as /metrics (no *, ?, # or spaces)");
        } else if (reserved(path)) {
            problems.add("path", "'" + path + "' is served by the gateway itself (choose a path outside "
                    + String.join(", ", RESERVED) + ")");
        }
        if (access == null) {
            problems.add("access", "is required");
        }
        problems.throwIfAny("MetricsConfig");
    }

    /** The section as it is when the file leaves it out: open at {@value #DEFAULT_PATH}. */
    public static MetricsConfig defaults() {
        return new MetricsConfig(true, DEFAULT_PATH, MetricsAccess.OPEN);
    }

    /** Whether the endpoint answers anyone at all (with {@code access: admin}, only callers with an admin key). */
    public boolean exposed() {
        return enabled && access != MetricsAccess.DISABLED;
    }

    private static boolean notInPath(int c) {
        return c == '*' || c == '?' || c == '#' || c == '%' || c <= ' ' || c == 0x7f;
    }

    private static boolean reserved(String path) {
        for (String taken : RESERVED) {
            if (path.equals(taken) || path.startsWith(taken + "/"))
                return true;
        }
        return false;
    }
}
