package io.aigateway.proxy;

import io.aigateway.testing.FakeBackend;
import io.aigateway.testing.GatewayServer;
import io.aigateway.testing.Json;
import io.aigateway.testing.Reply;
import io.aigateway.testing.Sse;
import io.aigateway.testing.StreamGate;
import jakarta.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.io.InputStream;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code server.max_in_flight}: with the cap held by open streams, one more request is refused at once with 503
 * {@code overloaded} and {@code Retry-After: 1}, never queued and never sent upstream; the refusal is counted in
 * {@code aigateway_overload_rejections_total}; when the streams end, requests are served again.
 */
class OverloadTest {
    static final String KEY = "sk-overload-test";
    static final int CAP = 3;

    private static HttpResponse<InputStream> openStream(GatewayServer gateway) {
        return gateway.open(gateway.request("/v1/chat/completions", KEY)
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(Json.chat("gpt-4o", true)))
            .build());
    }

    @Test
    void beyondMaxInFlightTheGatewayAnswers503AtOnceAndRecoversWhenStreamsEnd() throws Exception {
        try (FakeBackend backend = FakeBackend.start("busy");
             GatewayServer gateway = GatewayServer.start("""
                 server: {max_in_flight: %d}
                 tenants: [{name: team, keys: ["%s"], models: ["*"]}]
                 backends:
                   - {name: busy, flavor: openai, endpoint: "%s/v1", models: [gpt-4o]}
                 """.formatted(CAP, KEY, backend.url()))) {
            List<StreamGate> gates = new ArrayList<>();
            List<Sse> streams = new ArrayList<>();
            for (int i = 0; i < CAP; i++) {
                StreamGate gate = new StreamGate();
                gate.release(0); // the first content chunk starts the response; the stream then waits on the gate
                gates.add(gate);
                backend.enqueue(Reply.defaultReply().gatedBy(gate));
                HttpResponse<InputStream> response = openStream(gateway);
                assertEquals(200, response.statusCode());
                streams.add(new Sse(response.body()));
            }
            assertEquals(CAP, gateway.gateway().inFlight().inFlight());

            long start = System.nanoTime();
            HttpResponse<String> refused = gateway.post("/v1/chat/completions", KEY, Json.chat("gpt-4o", false));
            long millis = (System.nanoTime() - start) / 1_000_000;

            assertEquals(503, refused.statusCode(), refused.body());
            JsonObject error = Json.parse(refused.body()).getJsonObject("error");
            assertEquals("overloaded", error.getString("code"));
            assertEquals("server_error", error.getString("type"));
            assertEquals("1", refused.headers().firstValue("Retry-After").orElse(null));
            assertTrue(millis < 2_000, "refused at once, not queued: " + millis + " ms");
            assertEquals(CAP, backend.requestCount(), "the refused request never went upstream");
            assertEquals(1, gateway.gateway().inFlight().rejected());
            String metrics = gateway.get("/metrics", null).body();
            assertTrue(metrics.contains("aigateway_overload_rejections_total 1.0"), metrics);

            for (StreamGate gate : gates)
                gate.releaseAll();
            for (Sse stream : streams) {
                List<Sse.Event> rest = stream.remaining();
                assertTrue(rest.get(rest.size() - 1).isDone(), "each held stream ends normally");
                stream.close();
            }
            long deadline = System.nanoTime() + 10_000_000_000L;
            while (gateway.gateway().inFlight().inFlight() > 0 && System.nanoTime() < deadline)
                Thread.onSpinWait();
            assertEquals(0, gateway.gateway().inFlight().inFlight(), "every place is given back");

            for (int i = 0; i < CAP + 2; i++)
                assertEquals(200, gateway.post("/v1/chat/completions", KEY, Json.chat("gpt-4o", false)).statusCode());
            assertEquals(1, gateway.gateway().inFlight().rejected());
        }
    }

    @Test
    void everyKindOfEndGivesItsPlaceBack() throws Exception {
        try (FakeBackend backend = FakeBackend.start("flaky");
             GatewayServer gateway = GatewayServer.start("""
                 server: {max_in_flight: 1}
                 tenants: [{name: team, keys: ["%s"], models: ["*"]}]
                 backends:
                   - {name: flaky, flavor: openai, endpoint: "%s/v1", models: [gpt-4o]}
                 """.formatted(KEY, backend.url()))) {
            backend.enqueue(Reply.error(500, "server_error", null, "boom"), Reply.dropConnection(),
                Reply.error(400, "invalid_request_error", "bad", "bad"));

            assertEquals(500, gateway.post("/v1/chat/completions", KEY, Json.chat("gpt-4o", false)).statusCode());
            assertEquals(502, gateway.post("/v1/chat/completions", KEY, Json.chat("gpt-4o", false)).statusCode());
            assertEquals(400, gateway.post("/v1/chat/completions", KEY, Json.chat("gpt-4o", false)).statusCode());
            assertEquals(400, gateway.post("/v1/chat/completions", KEY, "{not json").statusCode());
            assertEquals(404, gateway.post("/v1/chat/completions", KEY, Json.chat("no-such-model", false)).statusCode());
            assertEquals(200, gateway.post("/v1/chat/completions", KEY, Json.chat("gpt-4o", false)).statusCode(),
                "with a cap of one, any leaked place would refuse this");
            assertEquals(0, gateway.gateway().inFlight().rejected());
        }
    }
}
