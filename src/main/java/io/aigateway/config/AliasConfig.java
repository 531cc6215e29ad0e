package io.aigateway.config;

/**
 * Where a model alias points: a served model, optionally pinned to one backend. Written in the config file as
 * {@code model} or {@code backend:model}.
 *
 * @param backend the name of the backend the alias is pinned to, or null when any backend serving
 *                {@code model} may answer
 * @param model   the public model name (a {@code deployments[].model}) the alias stands for
 */
public record AliasConfig(String backend, String model) {

    /** @throws ConfigException if the model is missing or blank, or the backend is blank */
    public AliasConfig {
        Problems problems = new Problems();
        Names.requireNonBlank(problems, "model", model);
        if (backend != null) {
            Names.requireNonBlank(problems, "backend", backend);
        }
        problems.throwIfAny("AliasConfig");
    }

    /** Whether the alias names a backend. */
    public boolean pinned() {
        return backend != null;
    }

    /** The alias as written in the config file: {@code model} or {@code backend:model}. */
    public String target() {
        return pinned() ? backend + ":" + model : model;
    }
}
