package io.aigateway.proxy;

import io.aigateway.testing.FakeBackend;
import io.aigateway.testing.GatewayServer;
import io.aigateway.testing.Json;
import io.aigateway.testing.Reply;
import jakarta.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Weighted balancing over deployments, priority tiers, and failover before anything reaches the client. */
class BalancingAndFailoverTest {
    static final String KEY = "sk-balance-test";

    private static String config(String backends) {
        return "tenants: [{name: team, keys: [\"" + KEY + "\"], models: [\"*\"]}]\nbackends:\n" + backends;
    }

    private static String backend(String name, FakeBackend fake, int weight, int priority) {
        return backend(name, fake.url().toString(), weight, priority);
    }

    private static String backend(String name, String url, int weight, int priority) {
        return "  - {name: " + name + ", flavor: openai, endpoint: \"" + url + "/v1\", weight: " + weight
            + ", priority: " + priority + ", models: [gpt-4o], timeouts: {connect: 2s, first_byte: 2s, idle: 5s}"
            // One failure opens the breaker, so each test sees the effect of a single failure.
            + ", circuit_breaker: {consecutive_failures: 1}}\n";
    }

    @Test
    void requestsAreSpreadByWeight() throws Exception {
        try (FakeBackend a = FakeBackend.start("a"); FakeBackend b = FakeBackend.start("b");
             GatewayServer gateway = GatewayServer.start(config(backend("a", a, 3, 0) + backend("b", b, 1, 0)))) {
            for (int i = 0; i < 400; i++)
                assertEquals(200, gateway.post("/v1/chat/completions", KEY, Json.chat("gpt-4o", false)).statusCode());

            assertEquals(300, a.requestCount());
            assertEquals(100, b.requestCount());
        }
    }

    @Test
    void lowerPriorityTierServesOnlyWhileTheHigherOneIsDown() throws Exception {
        try (FakeBackend primary = FakeBackend.start("primary"); FakeBackend standby = FakeBackend.start("standby");
             GatewayServer gateway = GatewayServer.start(config(backend("primary", primary, 1, 0) + backend("standby", standby, 1, 1)))) {
            for (int i = 0; i < 10; i++)
                gateway.post("/v1/chat/completions", KEY, Json.chat("gpt-4o", false));
            assertEquals(10, primary.requestCount());
            assertEquals(0, standby.requestCount());

            primary.always(Reply.error(503, "server_error", null, "overloaded"));
            for (int i = 0; i < 10; i++)
                assertEquals(200, gateway.post("/v1/chat/completions", KEY, Json.chat("gpt-4o", false)).statusCode());
            assertEquals(11, primary.requestCount(), "the failing primary is tried once, then rests");
            assertEquals(10, standby.requestCount());
        }
    }

    @Test
    void failsOverToTheNextBackendWhenTheFirstRefusesConnections() throws Exception {
        try (FakeBackend live = FakeBackend.start("live");
             GatewayServer gateway = GatewayServer.start(config(backend("dead", FakeBackend.refusedUrl().toString(), 1, 0)
                 + backend("live", live, 1, 0)))) {
            for (int i = 0; i < 20; i++) {
                HttpResponse<String> response = gateway.post("/v1/chat/completions", KEY, Json.chat("gpt-4o", false));
                assertEquals(200, response.statusCode(), response.body());
                assertTrue(response.body().contains("hello from live"));
            }
            assertEquals(20, live.requestCount());
        }
    }

    @Test
    void retriesA5xxOnTheNextDeploymentWithoutTheClientNoticing() throws Exception {
        try (FakeBackend a = FakeBackend.start("a"); FakeBackend b = FakeBackend.start("b");
             GatewayServer gateway = GatewayServer.start(config(backend("a", a, 1, 0) + backend("b", b, 1, 0)))) {
            a.always(Reply.error(500, "server_error", null, "boom"));

            for (int i = 0; i < 5; i++) {
                HttpResponse<String> response = gateway.post("/v1/chat/completions", KEY, Json.chat("gpt-4o", false));
                assertEquals(200, response.statusCode(), response.body());
                assertTrue(response.body().contains("hello from b"));
            }
            assertEquals(1, a.requestCount(), "a failed once and was taken out");
            assertEquals(5, b.requestCount());
        }
    }

    @Test
    void whenEveryAttemptFailsTheClientGetsTheLastBackendsStatusAndBody() throws Exception {
        try (FakeBackend a = FakeBackend.start("a"); FakeBackend b = FakeBackend.start("b");
             GatewayServer gateway = GatewayServer.start(config(backend("a", a, 1, 0) + backend("b", b, 1, 0)))) {
            a.always(Reply.error(502, "server_error", "a_failed", "a is down"));
            b.always(Reply.error(503, "server_error", "b_failed", "b is down").withHeader("x-backend-said", "b"));

            HttpResponse<String> response = gateway.post("/v1/chat/completions", KEY, Json.chat("gpt-4o", false));

            JsonObject error = Json.parse(response.body()).getJsonObject("error");
            int status = response.statusCode();
            assertTrue(status == 502 || status == 503, "status " + status);
            assertEquals(status == 502 ? "a_failed" : "b_failed", error.getString("code"));
            assertEquals(1, a.requestCount());
            assertEquals(1, b.requestCount());
        }
    }

    @Test
    void backendClientErrorsAreRelayedAsSentAndNotRetried() throws Exception {
        try (FakeBackend a = FakeBackend.start("a"); FakeBackend b = FakeBackend.start("b");
             GatewayServer gateway = GatewayServer.start(config(backend("a", a, 1, 0) + backend("b", b, 1, 0)))) {
            String body = "{\"error\":{\"message\":\"This model's maximum context length is 128000 tokens.\","
                + "\"type\":\"invalid_request_error\",\"param\":\"messages\",\"code\":\"context_length_exceeded\"}}";
            a.always(Reply.json(400, body));
            b.always(Reply.json(400, body));

            for (int i = 0; i < 20; i++) {
                HttpResponse<String> response = gateway.post("/v1/chat/completions", KEY, Json.chat("gpt-4o", false));
                assertEquals(400, response.statusCode());
                assertEquals(body, response.body());
            }
            assertEquals(20, a.requestCount() + b.requestCount(), "no retries");
            assertEquals(10, a.requestCount(), "caller faults never take a deployment out");
        }
    }
}
