package io.aigateway.metrics;

import io.aigateway.log.RequestRecord;
import io.aigateway.testing.FakeBackend;
import io.aigateway.testing.GatewayServer;
import io.aigateway.testing.Json;
import io.aigateway.testing.Reply;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code /metrics} after real traffic through the gateway, parsed as Prometheus text. */
class MetricsEndpointTest {
    static final String KEY = "sk-metrics-tenant-key";
    static final String UPSTREAM_KEY = "sk-upstream-secret-a";

    private static String config(FakeBackend a, FakeBackend b, String metrics) {
        return """
            tenants: [{name: team, keys: ["%s"], models: ["*"]}]
            backends:
              - {name: a, flavor: openai, endpoint: "%s/v1", keys: ["%s"], models: [gpt-4o], priority: 0,
                 circuit_breaker: {consecutive_failures: 1}}
              - {name: b, flavor: openai, endpoint: "%s/v1", models: [gpt-4o], priority: 1}
            %s
            """.formatted(KEY, a.url(), UPSTREAM_KEY, b.url(), metrics);
    }

    @Test
    void countsRequestsFailoverAndBreakerStateByLabel() throws Exception {
        try (FakeBackend a = FakeBackend.start("a"); FakeBackend b = FakeBackend.start("b");
             GatewayServer gateway = GatewayServer.start(config(a, b, ""))) {
            LinkedBlockingQueue<RequestRecord> records = new LinkedBlockingQueue<>();
            // Added after the metrics' own listener, so a record here has been counted already.
            gateway.gateway().addRequestListener(records::add);
            a.always(Reply.error(500, "server_error", null, "boom"));

            assertEquals(200, gateway.post("/v1/chat/completions", KEY, Json.chat("gpt-4o", false)).statusCode());
            assertEquals(200, gateway.post("/v1/chat/completions", KEY, Json.chat("gpt-4o", true)).statusCode());
            assertEquals(404, gateway.post("/v1/chat/completions", KEY, Json.chat("no-such-model", false)).statusCode());
            for (int i = 0; i < 3; i++)
                assertNotNull(records.poll(10, TimeUnit.SECONDS), "request record " + i);

            HttpResponse<String> response = gateway.get("/metrics", null);
            assertEquals(200, response.statusCode());
            assertTrue(response.headers().firstValue("Content-Type").orElse("").startsWith("text/plain; version=0.0.4"));
            PrometheusText metrics = PrometheusText.parse(response.body());

            assertEquals(2, metrics.value("aigateway_requests_total", "tenant", "team", "model", "gpt-4o", "backend", "b", "status", "2xx"));
            assertEquals(1, metrics.value("aigateway_requests_total", "tenant", "team", "model", "", "backend", "", "status", "4xx"),
                "a model nothing serves is not a label value");
            assertEquals("counter", metrics.type("aigateway_requests_total"));
            assertEquals(3, metrics.value("aigateway_upstream_attempts_total", "model", "gpt-4o"));
            assertEquals(1, metrics.value("aigateway_upstream_retries_total", "model", "gpt-4o"));
            assertEquals(1, metrics.value("aigateway_upstream_failures_total", "class", "server_error"));

            assertEquals("histogram", metrics.type("aigateway_request_duration_seconds"));
            assertEquals(2, metrics.value("aigateway_request_duration_seconds_count", "model", "gpt-4o", "backend", "b"));
            assertEquals(2, metrics.value("aigateway_request_duration_seconds_bucket", "model", "gpt-4o", "backend", "b", "le", "+Inf"));
            assertEquals(2, metrics.value("aigateway_request_first_byte_seconds_count", "model", "gpt-4o", "backend", "b"));
            assertTrue(metrics.value("aigateway_request_duration_seconds_sum", "model", "gpt-4o", "backend", "b") > 0);

            assertEquals(2, metrics.value("aigateway_deployment_circuit_state", "backend", "a", "deployment", "gpt-4o"), "open");
            assertEquals(0, metrics.value("aigateway_deployment_circuit_state", "backend", "b", "deployment", "gpt-4o"), "closed");
            assertEquals(0, metrics.value("aigateway_deployment_available", "backend", "a", "deployment", "gpt-4o"));
            assertEquals(1, metrics.value("aigateway_deployment_available", "backend", "b", "deployment", "gpt-4o"));
            assertEquals(0, metrics.value("aigateway_deployment_flagged", "backend", "a", "deployment", "gpt-4o"));
            assertEquals(1, metrics.value("aigateway_circuit_transitions_total",
                "backend", "a", "deployment", "gpt-4o", "from", "closed", "to", "open"));
            assertEquals(1, metrics.value("aigateway_deployment_calls_started_total", "backend", "a", "deployment", "gpt-4o"));
            assertEquals(1, metrics.value("aigateway_deployment_calls_failed_total", "backend", "a", "deployment", "gpt-4o"));
            assertEquals(2, metrics.value("aigateway_deployment_calls_started_total", "backend", "b", "deployment", "gpt-4o"));
            assertEquals(2, metrics.value("aigateway_deployment_calls_succeeded_total", "backend", "b", "deployment", "gpt-4o"));
            assertEquals(0, metrics.value("aigateway_deployment_in_flight", "backend", "b", "deployment", "gpt-4o"));
            assertEquals(0, metrics.value("aigateway_requests_in_flight"));
            assertEquals(0, metrics.value("aigateway_retries_in_flight"));

            assertTrue(metrics.has("jvm_memory_used_bytes"), "JVM metrics");
            assertTrue(metrics.has("jvm_threads_current"));
            assertFalse(metrics.has("jvm_memory_pool_allocated_bytes_total"), "its GC listeners would outlive the webapp");
            assertTrue(Thread.getAllStackTraces().keySet().stream().noneMatch(t -> t.getName().startsWith("prometheus-")),
                "no exemplar scheduler thread, which would outlive the webapp");
        }
    }

    @Test
    void neverShowsAKeyAPathOrAnUnknownModel() throws Exception {
        try (FakeBackend a = FakeBackend.start("a"); FakeBackend b = FakeBackend.start("b");
             GatewayServer gateway = GatewayServer.start(config(a, b, ""))) {
            LinkedBlockingQueue<RequestRecord> records = new LinkedBlockingQueue<>();
            gateway.gateway().addRequestListener(records::add);
            gateway.post("/v1/chat/completions", KEY, Json.chat("gpt-4o", false));
            gateway.post("/v1/chat/completions", KEY, Json.chat("model-from-" + UPSTREAM_KEY, false));
            gateway.post("/v1/chat/completions", "sk-wrong-key-guess", Json.chat("gpt-4o", false));
            gateway.post("/v1/images/generations?secret=query-canary", KEY, Json.chat("gpt-4o", false));
            for (int i = 0; i < 3; i++)
                assertNotNull(records.poll(10, TimeUnit.SECONDS), "request record " + i);

            String text = gateway.get("/metrics", null).body();
            for (String secret : new String[] {KEY, UPSTREAM_KEY, "sk-wrong-key-guess", "query-canary", "/v1/", "127.0.0.1"})
                assertFalse(text.contains(secret), "metrics show " + secret);
            for (PrometheusText.Sample sample : PrometheusText.parse(text).samples()) {
                String model = sample.labels().get("model");
                assertTrue(model == null || model.isEmpty() || model.equals("gpt-4o"), "model label " + model);
            }
        }
    }

    @Test
    void disabledMetricsAnswer404LikeAnyUnknownPath() {
        try (FakeBackend a = FakeBackend.start("a"); FakeBackend b = FakeBackend.start("b");
             GatewayServer gateway = GatewayServer.start(config(a, b, "metrics: {enabled: false}"))) {
            HttpResponse<String> response = gateway.get("/metrics", null);
            assertEquals(404, response.statusCode());
            assertTrue(response.body().contains("unknown_url"), response.body());
        }
        try (FakeBackend a = FakeBackend.start("a"); FakeBackend b = FakeBackend.start("b");
             GatewayServer gateway = GatewayServer.start(config(a, b, "metrics: {access: disabled}"))) {
            assertEquals(404, gateway.get("/metrics", null).statusCode());
            assertEquals(404, gateway.post("/metrics", null, "{}").statusCode(), "hidden from every method");
        }
    }

    @Test
    void servesAtTheConfiguredPathOnly() {
        try (FakeBackend a = FakeBackend.start("a"); FakeBackend b = FakeBackend.start("b");
             GatewayServer gateway = GatewayServer.start(config(a, b, "metrics: {path: /ops/prometheus}"))) {
            HttpResponse<String> response = gateway.get("/ops/prometheus", null);
            assertEquals(200, response.statusCode());
            assertTrue(PrometheusText.parse(response.body()).has("aigateway_requests_in_flight"));
            assertEquals(404, gateway.get("/metrics", null).statusCode());
        }
    }
}
