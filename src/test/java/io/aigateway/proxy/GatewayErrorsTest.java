package io.aigateway.proxy;

import io.aigateway.testing.FakeBackend;
import io.aigateway.testing.GatewayServer;
import io.aigateway.testing.Json;
import io.aigateway.testing.Reply;
import jakarta.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Every error the gateway raises itself is OpenAI-shaped JSON with the right status. */
class GatewayErrorsTest {
    static final String KEY = "sk-errors-test";
    static final String NARROW_KEY = "sk-errors-narrow";

    static FakeBackend live;
    static FakeBackend slow;
    static GatewayServer gateway;

    @BeforeAll
    static void start() {
        live = FakeBackend.start("live");
        slow = FakeBackend.start("slow");
        gateway = GatewayServer.start("""
            server: {max_request_bytes: 2048}
            tenants:
              - {name: team, keys: ["%s"], models: ["*"]}
              - {name: narrow, keys: ["%s"], models: [gpt-4o]}
            backends:
              - {name: live, flavor: openai, endpoint: "%s/v1", models: [gpt-4o, gpt-4o-mini]}
              - {name: slow, flavor: openai, endpoint: "%s/v1", models: [slow-model], timeouts: {first_byte: 300ms}}
              - {name: dead, flavor: openai, endpoint: "%s/v1", models: [dead-model]}
              - {name: dead2, flavor: openai, endpoint: "%s/v1", models: [dead-model-2]}
            """.formatted(KEY, NARROW_KEY, live.url(), slow.url(), FakeBackend.refusedUrl(),
                // Another host, so that the two dead endpoints never share health.
                FakeBackend.refusedUrl().toString().replace("127.0.0.1", "127.0.0.2")));
    }

    @AfterAll
    static void stop() throws Exception {
        gateway.close();
        live.close();
        slow.close();
    }

    private static JsonObject assertError(HttpResponse<String> response, int status, String code) {
        assertEquals(status, response.statusCode(), response.body());
        assertTrue(response.headers().firstValue("Content-Type").orElse("").startsWith("application/json"));
        JsonObject error = Json.parse(response.body()).getJsonObject("error");
        assertTrue(error.containsKey("message") && error.containsKey("type") && error.containsKey("param") && error.containsKey("code"),
            "OpenAI error shape: " + response.body());
        if (code != null)
            assertEquals(code, error.getString("code"));
        return error;
    }

    @Test
    void missingKeyIs401() {
        HttpResponse<String> response = gateway.post("/v1/chat/completions", null, Json.chat("gpt-4o", false));
        assertError(response, 401, "invalid_api_key");
        assertEquals("Bearer", response.headers().firstValue("WWW-Authenticate").orElse(null));
    }

    @Test
    void unknownKeyIs401InEveryHeaderStyle() {
        for (String header : List.of("Authorization", "api-key", "x-api-key")) {
            String value = header.equals("Authorization") ? "Bearer sk-wrong" : "sk-wrong";
            HttpResponse<String> response = gateway.send(gateway.request("/v1/models", null).header(header, value).GET().build());
            assertError(response, 401, "invalid_api_key");
        }
    }

    @Test
    void twoDifferentKeysAre401() {
        HttpResponse<String> response = gateway.send(gateway.request("/v1/models", KEY).header("api-key", NARROW_KEY).GET().build());
        assertError(response, 401, "invalid_api_key");
    }

    @Test
    void everyKeyHeaderStyleAuthenticates() {
        for (String header : List.of("Authorization", "api-key", "x-api-key")) {
            String value = header.equals("Authorization") ? "Bearer " + KEY : KEY;
            assertEquals(200, gateway.send(gateway.request("/v1/models", null).header(header, value).GET().build()).statusCode());
        }
    }

    @Test
    void modelOutsideTheTenantsListIs403() {
        assertError(gateway.post("/v1/chat/completions", NARROW_KEY, Json.chat("gpt-4o-mini", false)), 403, "model_not_allowed");
    }

    @Test
    void unknownModelIs404ModelNotFound() {
        assertError(gateway.post("/v1/chat/completions", KEY, Json.chat("no-such-model", false)), 404, "model_not_found");
    }

    @Test
    void malformedJsonIs400() {
        assertError(gateway.post("/v1/chat/completions", KEY, "{\"model\": \"gpt-4o\", "), 400, "invalid_json");
        assertError(gateway.post("/v1/chat/completions", KEY, "[1,2]"), 400, "invalid_json");
        assertError(gateway.post("/v1/chat/completions", KEY, "{\"model\": 42}"), 400, null);
    }

    @Test
    void missingModelIs400() {
        JsonObject error = assertError(gateway.post("/v1/chat/completions", KEY, "{\"messages\":[]}"), 400, "missing_required_parameter");
        assertEquals("model", error.getString("param"));
    }

    @Test
    void bodyOverTheLimitIs413() {
        String big = "{\"model\":\"gpt-4o\",\"input\":\"" + "x".repeat(4096) + "\"}";
        assertError(gateway.post("/v1/chat/completions", KEY, big), 413, "request_too_large");
    }

    @Test
    void chunkedBodyOverTheLimitIs413() {
        String big = "{\"model\":\"gpt-4o\",\"input\":\"" + "x".repeat(4096) + "\"}";
        HttpRequest request = gateway.request("/v1/chat/completions", KEY)
            .header("Content-Type", "application/json")
            // A publisher of unknown length makes the client send the body chunked, without Content-Length.
            .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new java.io.ByteArrayInputStream(big.getBytes())))
            .build();
        assertError(gateway.send(request), 413, "request_too_large");
    }

    @Test
    void unreachableBackendIs502() {
        assertError(gateway.post("/v1/chat/completions", KEY, Json.chat("dead-model", false)), 502, "backend_unreachable");
    }

    @Test
    void modelWhoseOnlyBackendIsOutIs503() {
        assertError(gateway.post("/v1/chat/completions", KEY, Json.chat("dead-model-2", false)), 502, "backend_unreachable");
        assertError(gateway.post("/v1/chat/completions", KEY, Json.chat("dead-model-2", false)), 503, "no_healthy_backend");
    }

    @Test
    void backendThatDoesNotAnswerInTimeIs504() {
        Reply.Hang hang = Reply.hang();
        slow.enqueue(hang);
        assertError(gateway.post("/v1/chat/completions", KEY, Json.chat("slow-model", false)), 504, "backend_timeout");
        hang.release();
    }

    @Test
    void unknownPathsAre404Json() {
        assertError(gateway.get("/v2/whatever", KEY), 404, "unknown_url");
        assertError(gateway.get("/openai/unknown", KEY), 404, "unknown_url");
        assertError(gateway.get("/v1/chat/completions", KEY), 405, "method_not_allowed");
    }
}
