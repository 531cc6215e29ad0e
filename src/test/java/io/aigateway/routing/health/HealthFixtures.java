package io.aigateway.routing.health;

import io.aigateway.config.ConfigLoader;
import io.aigateway.registry.Backend;
import io.aigateway.registry.Deployment;
import io.aigateway.registry.Registry;

import java.util.HashMap;
import java.util.Map;

/** Deployments built from YAML, the way the gateway builds them. */
final class HealthFixtures {
    /**
     * eu-1 and eu-2 share the endpoint https://eu.example.com:443; q-1 and q-2 share the quota group "team";
     * us has a small circuit breaker (2 failures, open for 10 s, 1 trial).
     */
    static final String YAML = """
        backends:
          - name: eu-1
            flavor: azure
            endpoint: https://eu.example.com
            keys: []
            deployments:
              - {name: gpt4o, model: gpt-4o}
              - {name: mini, model: gpt-4o-mini}
          - name: eu-2
            flavor: openai
            endpoint: https://EU.example.com:443/v1
            keys: []
            models: [gpt-4o]
          - name: q-1
            flavor: openai
            endpoint: https://q1.example.com/v1
            keys: []
            quota_group: team
            models: [gpt-4o]
          - name: q-2
            flavor: openai
            endpoint: https://q2.example.com/v1
            keys: []
            quota_group: team
            models: [gpt-4o-mini]
          - name: us
            flavor: openai
            endpoint: https://us.example.com/v1
            keys: []
            circuit_breaker: {consecutive_failures: 2, open_for: 10s, max_open_for: 1m, half_open_calls: 1}
            models: [gpt-4o]
        """;

    private HealthFixtures() {
    }

    static Registry registry(String yaml) {
        return Registry.of(new ConfigLoader(name -> null).parse(yaml, "test"));
    }

    static Map<String, Deployment> deployments(Registry registry) {
        Map<String, Deployment> byId = new HashMap<>();
        for (Backend backend : registry.backends()) {
            for (Deployment deployment : backend.deployments())
                byId.put(deployment.id(), deployment);
        }
        return byId;
    }
}
