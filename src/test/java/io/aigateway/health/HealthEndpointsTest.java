package io.aigateway.health;

import io.aigateway.testing.FakeBackend;
import io.aigateway.testing.GatewayServer;
import io.aigateway.testing.Json;
import jakarta.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code /health} and {@code /ready} through a real container, without a key. */
class HealthEndpointsTest {
    static final String KEY = "sk-health-test";

    private static String config(String backends) {
        return "tenants: [{name: team, keys: [\"" + KEY + "\"], models: [\"*\"]}]\nbackends:\n" + backends;
    }

    private static String backend(String name, String url, String extra) {
        return "  - {name: " + name + ", flavor: openai, endpoint: \"" + url + "/v1\", models: [gpt-4o],"
            + " timeouts: {connect: 2s}, circuit_breaker: {consecutive_failures: 1}" + extra + "}\n";
    }

    @Test
    void healthIsOkWithoutAKeyWhateverTheBackends() {
        try (GatewayServer gateway = GatewayServer.start(config(backend("dead", FakeBackend.refusedUrl().toString(), "")))) {
            HttpResponse<String> response = gateway.get("/health", null);
            assertEquals(200, response.statusCode());
            assertEquals("{\"status\":\"ok\"}", response.body());
            assertTrue(response.headers().firstValue("Content-Type").orElse("").startsWith("application/json"));
            assertEquals("no-store", response.headers().firstValue("Cache-Control").orElse(""));
        }
    }

    @Test
    void readyWhileADeploymentIsAvailable() {
        try (FakeBackend live = FakeBackend.start("live");
             GatewayServer gateway = GatewayServer.start(config(backend("live", live.url().toString(), "")))) {
            HttpResponse<String> response = gateway.get("/ready", null);
            assertEquals(200, response.statusCode(), response.body());
            assertEquals("ok", Json.parse(response.body()).getString("status"));
            assertEquals(0, live.requestCount(), "readiness does no I/O");
        }
    }

    @Test
    void notReadyOnceEveryDeploymentIsOut() {
        try (GatewayServer gateway = GatewayServer.start(config(backend("dead", FakeBackend.refusedUrl().toString(), "")))) {
            assertEquals(200, gateway.get("/ready", null).statusCode(), "nothing has failed yet");

            assertEquals(502, gateway.post("/v1/chat/completions", KEY, Json.chat("gpt-4o", false)).statusCode());

            HttpResponse<String> response = gateway.get("/ready", null);
            assertEquals(503, response.statusCode());
            JsonObject body = Json.parse(response.body());
            assertEquals("unavailable", body.getString("status"));
            assertTrue(body.getString("reason").contains("none of the 1 deployments"), body.toString());
            assertFalse(body.containsKey("error"), "plain JSON, not an OpenAI error");
            assertEquals(200, gateway.get("/health", null).statusCode(), "still alive");
        }
    }

    @Test
    void notReadyWhenEveryBackendIsDisabledOrNoneIsConfigured() {
        try (FakeBackend live = FakeBackend.start("live");
             GatewayServer gateway = GatewayServer.start(config(backend("off", live.url().toString(), ", enabled: false")))) {
            HttpResponse<String> response = gateway.get("/ready", null);
            assertEquals(503, response.statusCode());
            assertEquals("every backend is disabled", Json.parse(response.body()).getString("reason"));
        }
        try (GatewayServer gateway = GatewayServer.start("{}")) {
            HttpResponse<String> response = gateway.get("/ready", null);
            assertEquals(503, response.statusCode());
            assertEquals("no backend is configured", Json.parse(response.body()).getString("reason"));
        }
    }
}
