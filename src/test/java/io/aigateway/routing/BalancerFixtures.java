package io.aigateway.routing;

import io.aigateway.config.ConfigLoader;
import io.aigateway.registry.Deployment;
import io.aigateway.registry.Registry;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

/** Deployments built from YAML, and counting helpers, for the balancer tests. */
final class BalancerFixtures {
    private BalancerFixtures() {
    }

    /** Each spec is {@code name:weight:priority}; every deployment gets a backend of its own, named like it. */
    static Map<String, Deployment> deployments(String... specs) {
        StringBuilder yaml = new StringBuilder("backends:\n");
        for (String spec : specs) {
            String[] parts = spec.split(":");
            yaml.append("  - name: ").append(parts[0]).append('\n')
                .append("    flavor: openai\n")
                .append("    endpoint: https://").append(parts[0]).append(".example.com/v1\n")
                .append("    keys: []\n")
                .append("    weight: ").append(parts[1]).append('\n')
                .append("    priority: ").append(parts[2]).append('\n')
                .append("    models: [gpt-4o]\n");
        }
        Registry registry = Registry.of(new ConfigLoader(name -> null).parse(yaml.toString(), "test"));
        Map<String, Deployment> byBackend = new LinkedHashMap<>();
        for (Deployment deployment : registry.route("gpt-4o").candidates())
            byBackend.put(deployment.backend().name(), deployment);
        return byBackend;
    }

    static List<Deployment> candidates(Map<String, Deployment> deployments) {
        return new ArrayList<>(deployments.values());
    }

    static Predicate<Deployment> all() {
        return d -> true;
    }

    static Predicate<Deployment> except(String... backends) {
        Set<String> excluded = Set.of(backends);
        return d -> !excluded.contains(d.backend().name());
    }

    static String name(Deployment deployment) {
        return deployment.backend().name();
    }

    static Map<String, Integer> counts(Balancer balancer, int picks, Predicate<Deployment> eligible) {
        Map<String, Integer> counts = new HashMap<>();
        for (int i = 0; i < picks; i++)
            counts.merge(name(balancer.choose(eligible)), 1, Integer::sum);
        return counts;
    }
}
