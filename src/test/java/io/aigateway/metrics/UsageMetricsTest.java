package io.aigateway.metrics;

import io.aigateway.testing.FakeBackend;
import io.aigateway.testing.GatewayServer;
import io.aigateway.testing.Json;
import io.aigateway.testing.TestClock;
import org.junit.jupiter.api.Test;

import java.time.Instant;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Tokens, cost and limiter refusals reach /metrics. */
class UsageMetricsTest {
    static final String KEY = "sk-usage-metrics";

    @Test
    void tokensCostAndRejectionsAreCountedByTenantModelAndScope() throws Exception {
        try (FakeBackend backend = FakeBackend.start("openai");
             GatewayServer gateway = GatewayServer.start("""
                 tenants: [{name: team, keys: ["%s"], models: ["*"], model_limits: {gpt-4o: {rpm: 2}}}]
                 backends: [{name: oai, flavor: openai, endpoint: "%s/v1", models: [gpt-4o]}]
                 prices: {gpt-4o: {input: 2.5, output: 10}}
                 """.formatted(KEY, backend.url()), new TestClock(Instant.parse("2026-03-01T12:00:00Z")))) {
            for (int i = 0; i < 3; i++)
                gateway.post("/v1/chat/completions", KEY, Json.chat("gpt-4o", i == 0));
            PrometheusText metrics = null;
            // Records are published as exchanges end, just after the client has its answer.
            for (int i = 0; i < 200; i++) {
                metrics = PrometheusText.parse(gateway.get("/metrics", null).body());
                if (metrics.find("aigateway_tokens_total", "tenant", "team", "model", "gpt-4o", "direction", "output")
                    .map(s -> s.value() == 6).orElse(false))
                    break;
                Thread.sleep(10);
            }
            assertEquals(10, metrics.value("aigateway_tokens_total", "tenant", "team", "model", "gpt-4o", "direction", "input"));
            assertEquals(6, metrics.value("aigateway_tokens_total", "tenant", "team", "model", "gpt-4o", "direction", "output"));
            assertEquals(2 * 0.0000425, metrics.value("aigateway_cost_total", "tenant", "team", "model", "gpt-4o"), 1e-12);
            assertEquals(1, metrics.value("aigateway_rate_limit_rejections_total", "scope", "tenant_model"));
        }
    }
}
