package io.aigateway.routing.probe;

import io.aigateway.config.ConfigLoader;
import io.aigateway.registry.Registry;

import java.net.URI;

/** Registries with one probed backend, written the way an operator writes the config. */
final class ProbeFixtures {
    static final String OPENAI_KEY = "sk-probe-test-secret-0001";
    static final String AZURE_KEY = "azure-probe-test-secret-0002";

    private ProbeFixtures() {
    }

    /** The registry of a config whose {@code backends:} section is this YAML (indented by two spaces). */
    static Registry registry(String backendsYaml) {
        return Registry.of(new ConfigLoader(name -> null).parse("backends:\n" + backendsYaml, "test"));
    }

    /**
     * An {@code openai} backend named "openai" at {@code {url}/v1} serving gpt-4o-mini and text-embedding-3-small,
     * probed with the given health check fields (flow mapping content, e.g. {@code "enabled: true"}).
     */
    static Registry openAi(URI url, String healthCheck) {
        return registry("""
              - name: openai
                flavor: openai
                endpoint: %s/v1
                keys: [%s]
                health_check: {%s}
                models: [gpt-4o-mini, text-embedding-3-small]
            """.formatted(url, OPENAI_KEY, healthCheck));
    }

    /** Probed every hour (rounds come from probeNow), 2 successes to become healthy, 3 failures unhealthy. */
    static String thresholds(String timeout) {
        return "enabled: true, interval: 1h, timeout: " + timeout + ", healthy_threshold: 2, unhealthy_threshold: 3";
    }
}
