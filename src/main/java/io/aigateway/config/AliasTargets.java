package io.aigateway.config;

import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Reads an alias target as written in the file, {@code model} or {@code backend:model}, against the backends.
 * A whole string that is a served model wins over a split at {@code :}, since model names may contain colons
 * ({@code llama3:8b}).
 */
final class AliasTargets {

    private final List<BackendConfig> backends;
    private final boolean backendsKnown;
    private final Set<String> aliasNames;

    /**
     * @param backends   the backends, null (or with null items) where they failed to bind
     * @param aliasNames every alias in the file, to tell a target naming another alias from a typo
     */
    AliasTargets(List<BackendConfig> backends, Set<String> aliasNames) {
        this.backendsKnown = backends != null && backends.stream().allMatch(Objects::nonNull);
        this.backends = backends == null ? List.of() : backends.stream().filter(Objects::nonNull).toList();
        this.aliasNames = aliasNames;
    }

    /** Returns where the alias points, or null after reporting why it points nowhere. */
    AliasConfig resolve(ConfigNode node) {
        String target = node.string();
        if (target == null) {
            return null;
        }
        if (target.isBlank()) {
            node.problem("must not be blank");
            return null;
        }
        if (backends.stream().anyMatch(backend -> backend.serves(target))) {
            return new AliasConfig(null, target);
        }
        Optional<AliasConfig> pinned = pinned(target);
        if (pinned.isPresent()) {
            return pinned.get();
        }
        if (!backendsKnown) {
            // A backend that failed to bind may serve it: keep the target as written, and let the next load
            // (with that backend fixed) decide.
            return new AliasConfig(null, target);
        }
        if (aliasNames.contains(target)) {
            node.problem("target '" + target + "' is an alias (aliases must point at a served model)");
        } else {
            node.problem("target '" + target
                    + "' is neither a served model nor backend:model of a backend serving it");
        }
        return null;
    }

    private Optional<AliasConfig> pinned(String target) {
        int colon = target.indexOf(':');
        if (colon <= 0 || colon == target.length() - 1) {
            return Optional.empty();
        }
        String backendName = target.substring(0, colon);
        String model = target.substring(colon + 1);
        return backends.stream()
                .filter(backend -> backend.name().equals(backendName) && backend.serves(model))
                .findFirst()
                .map(backend -> new AliasConfig(backendName, model));
    }
}
