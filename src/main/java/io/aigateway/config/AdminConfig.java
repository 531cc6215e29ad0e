package io.aigateway.config;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The {@code admin} section: the admin REST API and the keys that may use it.
 *
 * @param path {@code admin.path}: where the API is, an absolute path; default {@value #DEFAULT_PATH}. Not under
 *             {@code /v1} or {@code /openai}. Read once at startup.
 * @param keys {@code admin.keys[]}: admin keys, each like a tenant key (raw, {@code sha256:…} or
 *             {@code {key | hash, id, expires}}); the API answers 404 when there are none. A tenant key is never an
 *             admin key.
 */
public record AdminConfig(String path, List<KeyConfig> keys) {

    /** Where the admin API is unless told otherwise. */
    public static final String DEFAULT_PATH = "/admin";

    /** @throws ConfigException naming each field that breaks its rule */
    public AdminConfig {
        Problems problems = new Problems();
        if (path == null || !path.matches("/[A-Za-z0-9._~/-]+") || path.endsWith("/")) {
            problems.add("path", "must be an absolute path such as /admin");
        } else if (path.equals("/v1") || path.startsWith("/v1/") || path.equals("/openai")
                || path.startsWith("/openai/") || path.equals("/health") || path.equals("/ready")) {
            problems.add("path", "'" + path + "' is served by the gateway itself");
        }
        if (keys == null) {
            problems.add("keys", "is required (empty for none)");
        } else {
            Map<KeyHash, Integer> seen = new HashMap<>();
            Map<String, Integer> ids = new HashMap<>();
            for (int i = 0; i < keys.size(); i++) {
                KeyConfig key = keys.get(i);
                if (key == null) {
                    problems.add(Problems.index("keys", i), "is required");
                } else if (seen.putIfAbsent(key.hash(), i) != null) {
                    problems.add(Problems.index("keys", i), "duplicate key");
                } else if (ids.putIfAbsent(key.id(), i) != null) {
                    problems.add(Problems.index("keys", i) + ".id", "duplicate key id '" + key.id() + "'");
                }
            }
        }
        problems.throwIfAny("AdminConfig");
        keys = List.copyOf(keys);
    }

    /** No admin keys: the API is off. */
    public static AdminConfig defaults() {
        return new AdminConfig(DEFAULT_PATH, List.of());
    }
}
