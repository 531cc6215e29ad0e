package io.aigateway.config;

import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/** The checks of the limit and price sections that need the whole config: the models and backends they name. */
final class ConfigChecks {
    private ConfigChecks() {
    }

    /** Every model named by a limit or price is served; every backend group names a backend or a quota group. */
    static void checkLimits(Problems problems, List<TenantConfig> tenants, List<BackendConfig> backends,
            ModelsConfig models, Map<String, PriceConfig> prices, Set<String> publicModels) {
        if (publicModels != null) {
            if (models != null) {
                models.limits().keySet().forEach(model -> checkModel(problems, "models.limits." + model, model,
                        publicModels));
            }
            if (prices != null) {
                prices.keySet().forEach(model -> checkModel(problems, "prices." + model, model, publicModels));
            }
        }
        if (tenants == null || backends == null || backends.stream().anyMatch(Objects::isNull)) {
            return;
        }
        Set<String> groups = new HashSet<>();
        for (BackendConfig backend : backends) {
            groups.add(backend.name());
            if (backend.quotaGroup() != null) {
                groups.add(backend.quotaGroup());
            }
        }
        for (int i = 0; i < tenants.size(); i++) {
            TenantConfig tenant = tenants.get(i);
            if (tenant == null) {
                continue;
            }
            String path = Problems.index("tenants", i);
            if (publicModels != null) {
                for (String model : tenant.modelLimits().keySet()) {
                    checkModel(problems, path + ".model_limits." + model, model, publicModels);
                }
            }
            for (int g = 0; g < tenant.backendGroups().size(); g++) {
                String group = tenant.backendGroups().get(g);
                if (!groups.contains(group)) {
                    problems.add(Problems.index(path + ".backend_groups", g),
                            "no backend is named '" + group + "' or has it as its quota_group");
                }
            }
        }
    }

    private static void checkModel(Problems problems, String path, String model, Set<String> publicModels) {
        if (!publicModels.contains(model)) {
            problems.add(path, "unknown model '" + model + "' (no backend or alias serves it)");
        }
    }
}
