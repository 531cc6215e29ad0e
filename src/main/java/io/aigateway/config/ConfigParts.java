package io.aigateway.config;

/**
 * Binds one part of the config given alone, such as a backend sent to the admin API, with the same rules and
 * messages as the file and field paths relative to the part ({@code endpoint}, {@code deployments[0].model}).
 */
public final class ConfigParts {

    private ConfigParts() {
    }

    /**
     * Reads one {@code backends[]} entry from JSON (or YAML) text. {@code ${env:…}} references are refused: an admin
     * API caller must not read the gateway's environment.
     *
     * @throws ConfigException with every problem found
     */
    public static BackendConfig backend(String text, String origin) {
        Problems problems = new Problems();
        Object tree = YamlTree.read(text, problems);
        BackendConfig backend = null;
        if (tree != null) {
            EnvSubstitution noEnv = new EnvSubstitution(name -> null);
            backend = ConfigBinder.bindBackend(ConfigNode.root(tree, problems, noEnv));
        } else if (problems.isEmpty()) {
            problems.add(Problems.DOCUMENT, "is empty");
        }
        problems.throwIfAny(origin);
        return backend;
    }
}
