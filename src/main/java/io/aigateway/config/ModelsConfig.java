package io.aigateway.config;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The {@code models} section: public model names that are not deployments of their own.
 *
 * @param aliases {@code models.aliases}: alias name → where it points, in file order. An alias offers a stable
 *                or friendlier name ({@code fast: gpt-4o-mini}) or pins a model to one backend
 *                ({@code gpt-4o-eu: azure-eu:gpt-4o}). It points at a served model, never at another alias,
 *                and cannot reuse the name of a served model.
 * @param limits  {@code models.limits.<model>}: {@code rpm} and {@code tpm} of a public model over every tenant
 *                (global); none when absent
 */
public record ModelsConfig(Map<String, AliasConfig> aliases, Map<String, RateLimitConfig> limits) {

    /** @throws ConfigException if an alias name is blank or {@code *}, or a target is missing */
    public ModelsConfig {
        Problems problems = new Problems();
        if (aliases == null) {
            problems.add("aliases", "is required");
        } else {
            aliases.forEach((name, target) -> {
                if (name == null || name.isBlank()) {
                    problems.add("aliases", "alias names must not be blank");
                    return;
                }
                String path = Problems.join("aliases", name);
                if (name.equals(TenantConfig.ALL_MODELS)) {
                    problems.add(path, "'*' cannot be an alias name (tenants use it for every model)");
                }
                if (target == null) {
                    problems.add(path, "is required");
                }
            });
        }
        if (limits == null) {
            problems.add("limits", "is required");
        }
        problems.throwIfAny("ModelsConfig");
        // Map.copyOf would lose the order in which the operator wrote the aliases.
        aliases = Collections.unmodifiableMap(new LinkedHashMap<>(aliases));
        limits = Collections.unmodifiableMap(new LinkedHashMap<>(limits));
    }

    /** Aliases only, no global model limits. */
    public ModelsConfig(Map<String, AliasConfig> aliases) {
        this(aliases, Map.of());
    }

    /** The section as it is when the file leaves it out: no aliases. */
    public static ModelsConfig defaults() {
        return new ModelsConfig(Map.of());
    }
}
