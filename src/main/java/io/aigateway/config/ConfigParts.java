package io.aigateway.config;

import java.util.function.Function;

/**
 * Binds one part of the config given alone, such as a backend or a tenant sent to the admin API, with the same rules
 * and messages as the file and field paths relative to the part ({@code endpoint}, {@code deployments[0].model},
 * {@code limits.rpm}). {@code ${env:…}} references are refused: an admin API caller must not read the gateway's
 * environment.
 */
public final class ConfigParts {

    private ConfigParts() {
    }

    /**
     * Reads one {@code backends[]} entry from JSON (or YAML) text.
     *
     * @throws ConfigException with every problem found
     */
    public static BackendConfig backend(String text, String origin) {
        return bind(text, origin, ConfigBinder::bindBackend);
    }

    /**
     * Reads one {@code tenants[]} entry from JSON (or YAML) text: {@code name}, {@code keys}, {@code models},
     * {@code limits}, {@code model_limits}, {@code quota}, {@code backend_groups}, exactly as in the file.
     *
     * @throws ConfigException with every problem found
     */
    public static TenantConfig tenant(String text, String origin) {
        return bind(text, origin, ConfigBinder::tenant);
    }

    /**
     * Reads one {@code tenants[].keys[]} entry given as an object: {@code {key | hash, id, expires, limits, quota}}.
     *
     * @throws ConfigException with every problem found
     */
    public static KeyConfig key(String text, String origin) {
        return bind(text, origin, ConfigBinder::tenantKey);
    }

    private static <T> T bind(String text, String origin, Function<ConfigNode, T> binder) {
        Problems problems = new Problems();
        Object tree = YamlTree.read(text, problems);
        T part = null;
        if (tree != null) {
            EnvSubstitution noEnv = new EnvSubstitution(name -> null);
            part = binder.apply(ConfigNode.root(tree, problems, noEnv));
        } else if (problems.isEmpty()) {
            problems.add(Problems.DOCUMENT, "is empty");
        }
        problems.throwIfAny(origin);
        return part;
    }
}
