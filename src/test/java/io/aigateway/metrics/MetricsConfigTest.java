package io.aigateway.metrics;

import io.aigateway.config.ConfigException;
import io.aigateway.config.ConfigLoader;
import io.aigateway.config.GatewayConfig;
import io.aigateway.config.MetricsAccess;
import io.aigateway.config.MetricsConfig;
import io.aigateway.config.ModelsConfig;
import io.aigateway.config.RoutingConfig;
import io.aigateway.config.ServerConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** The {@code metrics} section of the config file. */
class MetricsConfigTest {
    private static final ConfigLoader LOADER = new ConfigLoader(Map.<String, String>of()::get);

    private static List<String> problems(String yaml) {
        ConfigException x = assertThrows(ConfigException.class, () -> LOADER.parse(yaml, "gateway.yaml"));
        return x.problems().stream().map(p -> p.path() + ": " + p.message()).toList();
    }

    @Test
    void absentMeansOpenAtSlashMetrics() {
        assertEquals(new MetricsConfig(true, "/metrics", MetricsAccess.OPEN), LOADER.parse("{}", "gateway.yaml").metrics());
        assertEquals(MetricsConfig.defaults(), LOADER.parse("metrics: {}", "gateway.yaml").metrics());
        assertEquals(MetricsConfig.defaults(), new GatewayConfig(ServerConfig.defaults(), List.of(), List.of(),
            ModelsConfig.defaults(), RoutingConfig.defaults()).metrics());
    }

    @Test
    void readsEveryField() {
        MetricsConfig metrics = LOADER.parse("metrics: {enabled: false, path: /ops/metrics, access: disabled}", "gateway.yaml").metrics();
        assertEquals(new MetricsConfig(false, "/ops/metrics", MetricsAccess.DISABLED), metrics);
        assertFalse(metrics.exposed());
    }

    @Test
    void adminAccessNeedsAdminKeys() {
        assertEquals(List.of("metrics.access: 'admin' needs admin keys (admin.keys is empty)"),
            problems("metrics: {access: admin}"));
        assertEquals(MetricsAccess.ADMIN, LOADER.parse("metrics: {access: admin}\nadmin: {keys: [adm-1]}",
            "gateway.yaml").metrics().access());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', textBlock = """
        metrics: {access: public}       | metrics.access: 'public' is not a metrics access (use open, admin or disabled)
        metrics: {enabled: yes}         | metrics.enabled: must be true or false
        metrics: {port: 9100}           | metrics.port: unknown field
        metrics: {path: metrics}        | metrics.path: must be an absolute path such as /metrics (no *, ?, # or spaces)
        metrics: {path: /}              | metrics.path: must be an absolute path such as /metrics (no *, ?, # or spaces)
        metrics: {path: "/metrics/*"}   | metrics.path: must be an absolute path such as /metrics (no *, ?, # or spaces)
        metrics: {path: /v1/metrics}    | metrics.path: '/v1/metrics' is served by the gateway itself (choose a path outside /v1, /openai, /health, /ready, /_error)
        metrics: {path: /health}        | metrics.path: '/health' is served by the gateway itself (choose a path outside /v1, /openai, /health, /ready, /_error)
        """)
    void refusesWhatCannotWork(String yaml, String problem) {
        assertEquals(List.of(problem), problems(yaml));
    }
}
