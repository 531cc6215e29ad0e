package io.aigateway.store;

import io.aigateway.config.AliasConfig;
import io.aigateway.config.BackendConfig;
import io.aigateway.config.ConfigException;
import io.aigateway.config.ConfigProblem;
import io.aigateway.config.GatewayConfig;
import io.aigateway.config.ModelsConfig;
import io.aigateway.config.TenantConfig;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The registry's config: the file's tenants, backends and aliases followed by the store's, checked together. The
 * file's entities are the operator's config and read-only through the admin API; a name in both places is an error
 * that names both, never a silent override.
 */
public final class ConfigMerge {

    /** The origin of problems found in the merged config. */
    public static final String ORIGIN = "config file + store";

    private ConfigMerge() {
    }

    /**
     * @throws ConfigException naming each entity defined in both places, or what the merged config breaks (a stored
     *                         tenant allowed a model the file no longer serves, say)
     */
    public static GatewayConfig merge(GatewayConfig file, StoreContents store) {
        List<ConfigProblem> problems = new ArrayList<>();
        List<TenantConfig> tenants = new ArrayList<>(file.tenants());
        for (StoreContents.StoredTenant stored : store.tenants()) {
            int at = indexOf(file.tenants().stream().map(TenantConfig::name).toList(), stored.name());
            if (at >= 0) {
                problems.add(new ConfigProblem("tenants[" + at + "].name", "tenant '" + stored.name()
                        + "' is defined both in the config file and in the store (created through the admin API);"
                        + " delete one of them"));
                continue;
            }
            TenantConfig tenant = stored.toConfig();
            if (tenant != null) {
                tenants.add(tenant);
            }
        }
        List<BackendConfig> backends = new ArrayList<>(file.backends());
        for (StoreContents.StoredBackend stored : store.backends()) {
            int at = indexOf(file.backends().stream().map(BackendConfig::name).toList(), stored.name());
            if (at >= 0) {
                problems.add(new ConfigProblem("backends[" + at + "].name", "backend '" + stored.name()
                        + "' is defined both in the config file and in the store (created through the admin API);"
                        + " delete one of them"));
                continue;
            }
            backends.add(stored.config());
        }
        Map<String, AliasConfig> aliases = new LinkedHashMap<>(file.models().aliases());
        store.aliases().forEach((name, alias) -> {
            if (aliases.putIfAbsent(name, alias) != null) {
                problems.add(new ConfigProblem("models.aliases." + name, "alias '" + name
                        + "' is defined both in the config file and in the store; delete one of them"));
            }
        });
        if (!problems.isEmpty()) {
            throw new ConfigException(ORIGIN, problems);
        }
        if (store.tenants().isEmpty() && store.backends().isEmpty() && store.aliases().isEmpty()) {
            return file;
        }
        return file.withEntities(tenants, backends, new ModelsConfig(aliases));
    }

    private static int indexOf(List<String> names, String name) {
        return names.indexOf(name);
    }
}
