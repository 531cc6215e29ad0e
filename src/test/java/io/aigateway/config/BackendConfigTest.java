package io.aigateway.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class BackendConfigTest {

    private static final List<DeploymentConfig> GPT_4O = List.of(new DeploymentConfig("gpt-4o", "gpt-4o"));

    @Test
    void toStringCountsKeysAndNamesHeadersButPrintsNoSecret() {
        BackendConfig backend = new BackendConfig("openai", Flavor.OPENAI, URI.create("https://api.openai.com/v1"),
                null, List.of("sk-first-secret", "sk-second-secret"), 1, 0, true,
                Map.of("OpenAI-Organization", "org-secret"), TimeoutsConfig.defaults(), GPT_4O, 0,
                CircuitBreakerConfig.defaults(), HealthCheckConfig.defaults(), null);

        String printed = backend.toString();

        assertTrue(printed.contains("keys=2 key(s)"), printed);
        assertTrue(printed.contains("OpenAI-Organization"), printed);
        assertFalse(printed.contains("sk-first-secret") || printed.contains("sk-second-secret"), printed);
        assertFalse(printed.contains("org-secret"), printed);
    }

    @Test
    void dropsTrailingSlashesFromTheEndpoint() {
        assertEquals(URI.create("https://x.openai.azure.com"), backend("https://x.openai.azure.com/").endpoint());
        assertEquals(URI.create("https://api.openai.com/v1"), backend("https://api.openai.com/v1//").endpoint());
    }

    @Test
    void copiesItsListsAndMapsSoLaterChangesDoNotLeakIn() {
        List<String> keys = new ArrayList<>(List.of("k1"));
        Map<String, String> headers = new LinkedHashMap<>(Map.of("X-A", "1"));
        BackendConfig backend = new BackendConfig("b", Flavor.OPENAI, URI.create("https://x"), null, keys, 1, 0,
                true, headers, TimeoutsConfig.defaults(), GPT_4O, 0, CircuitBreakerConfig.defaults(),
                HealthCheckConfig.defaults(), null);

        keys.add("k2");
        headers.put("X-B", "2");

        assertEquals(List.of("k1"), backend.keys());
        assertEquals(Map.of("X-A", "1"), backend.headers());
        assertThrows(UnsupportedOperationException.class, () -> backend.headers().put("X-C", "3"));
    }

    @Test
    void constructorReportsEveryBrokenFieldByItsConfigName() {
        ConfigException e = assertThrows(ConfigException.class, () -> new BackendConfig("a/b", Flavor.OPENAI,
                URI.create("https://x"), "2024-10-21", List.of(), 0, -1, true, Map.of(), TimeoutsConfig.defaults(),
                List.of(), 0, CircuitBreakerConfig.defaults(), HealthCheckConfig.defaults(), null));

        assertEquals(List.of(
                        "name: must not contain ':' or '/'",
                        "api_version: only allowed when flavor is azure",
                        "weight: must be at least 1",
                        "priority: must not be negative",
                        "serves no model (give deployments or models)"),
                e.problems().stream().map(ConfigProblem::toString).toList());
    }

    @Test
    void constructorReportsBrokenResilienceFieldsByTheirConfigNames() {
        ConfigException e = assertThrows(ConfigException.class, () -> new BackendConfig("b", Flavor.OPENAI,
                URI.create("https://x"), null, List.of(), 1, 0, true, Map.of(), TimeoutsConfig.defaults(), GPT_4O,
                -1, null, null, ""));

        assertEquals(List.of(
                        "retries_per_backend: must not be negative",
                        "circuit_breaker: is required",
                        "health_check: is required",
                        "quota_group: must not be blank"),
                e.problems().stream().map(ConfigProblem::toString).toList());
    }

    @Test
    void servesTheModelsOfItsDeployments() {
        BackendConfig backend = backend("https://x");

        assertTrue(backend.serves("gpt-4o"));
        assertFalse(backend.serves("gpt-4o-mini"));
    }

    private static BackendConfig backend(String endpoint) {
        return new BackendConfig("b", Flavor.OPENAI, URI.create(endpoint), null, List.of(), 1, 0, true, Map.of(),
                TimeoutsConfig.defaults(), GPT_4O, 0, CircuitBreakerConfig.defaults(), HealthCheckConfig.defaults(),
                null);
    }
}
