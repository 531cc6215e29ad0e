package io.aigateway.proxy;

import io.aigateway.testing.FakeBackend;
import io.aigateway.testing.GatewayServer;
import io.aigateway.testing.Json;
import io.aigateway.testing.Reply;
import io.aigateway.testing.Sse;
import io.aigateway.testing.StreamGate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.InputStream;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Server-sent event streams pass through chunk by chunk, as they arrive, and a broken stream ends honestly. */
class StreamingTest {
    static final String KEY = "sk-stream-test";

    static FakeBackend openai;
    static FakeBackend azure;
    static GatewayServer gateway;

    @BeforeAll
    static void start() {
        openai = FakeBackend.start("openai");
        azure = FakeBackend.start("azure");
        gateway = GatewayServer.start("""
            tenants: [{name: team, keys: ["%s"], models: ["*"]}]
            backends:
              - {name: oai, flavor: openai, endpoint: "%s/v1", models: [gpt-4o]}
              - {name: az, flavor: azure, endpoint: "%s", deployments: [{name: dep-4o, model: azure-4o}]}
            """.formatted(KEY, openai.url(), azure.url()));
    }

    @AfterAll
    static void stop() throws Exception {
        gateway.close();
        openai.close();
        azure.close();
    }

    private HttpResponse<InputStream> openStream(String model) {
        return gateway.open(gateway.request("/v1/chat/completions", KEY)
            .header("Content-Type", "application/json")
            // With the usage chunk asked for, every chunk the backend sends reaches the client (none is stripped).
            .POST(HttpRequest.BodyPublishers.ofString(Json.chatWithUsage(model)))
            .build());
    }

    /**
     * The role-only first chunk is held back until the first content arrives (so that a backend failing before its
     * first token can still be replaced); from then on every chunk reaches the client before the backend sends the
     * next one.
     */
    @Test
    void contentChunksReachTheClientBeforeTheBackendSendsTheNext() throws Exception {
        for (FakeBackend backend : List.of(openai, azure)) {
            StreamGate gate = new StreamGate();
            backend.enqueue(Reply.defaultReply().gatedBy(gate));

            // After the role chunk (not content: held back), the backend may send the first content chunk, and then
            // waits: the response starts only when that content has arrived.
            gate.release(0);
            HttpResponse<InputStream> response = openStream(backend == openai ? "gpt-4o" : "azure-4o");

            assertEquals(200, response.statusCode());
            assertTrue(response.headers().firstValue("Content-Type").orElse("").startsWith("text/event-stream"));
            try (Sse events = new Sse(response.body())) {
                Sse.Event role = events.next();
                assertEquals("assistant", role.json().getJsonArray("choices").getJsonObject(0)
                    .getJsonObject("delta").getString("role"));
                Sse.Event first = events.next();
                assertEquals("hello", content(first));
                assertFalse(gate.isSent(2), "the backend has not sent the next chunk yet");

                List<String> text = new ArrayList<>(List.of("hello"));
                int released = 1;
                while (true) {
                    gate.release(released++);
                    Sse.Event event = events.next();
                    if (event == null || event.isDone())
                        break;
                    String delta = content(event);
                    if (delta != null)
                        text.add(delta);
                }
                assertEquals("hello from " + backend.name(), String.join("", text));
            }
        }
    }

    @Test
    void streamThatFailsBeforeItsFirstContentFailsOverInvisibly() throws Exception {
        // Only a role chunk, then the connection drops: nothing of it reaches the client.
        openai.enqueue(Reply.sseThenDrop(List.of(
            "data: {\"id\":\"c0\",\"object\":\"chat.completion.chunk\",\"choices\":[{\"index\":0,\"delta\":{\"role\":\"assistant\"}}]}\n\n")));
        try (GatewayServer twoBackends = GatewayServer.start("""
            tenants: [{name: team, keys: ["%s"], models: ["*"]}]
            backends:
              - {name: first, flavor: openai, endpoint: "%s/v1", models: [gpt-4o]}
              - {name: second, flavor: openai, endpoint: "%s/v1", models: [gpt-4o]}
            """.formatted(KEY, openai.url(), azure.url()))) {
            HttpResponse<String> response = twoBackends.post("/v1/chat/completions", KEY, Json.chat("gpt-4o", true));

            assertEquals(200, response.statusCode());
            assertTrue(response.body().contains("\"role\":\"assistant\""));
            assertTrue(response.body().contains(" " + azure.name()), "the second backend's stream: " + response.body());
            assertFalse(response.body().contains("c0"), "nothing of the failed attempt");
            assertTrue(response.body().endsWith("data: [DONE]\n\n"));
        }
    }

    private static String content(Sse.Event event) {
        var choices = event.json().getJsonArray("choices");
        if (choices.isEmpty() || !choices.getJsonObject(0).getJsonObject("delta").containsKey("content"))
            return null;
        return choices.getJsonObject(0).getJsonObject("delta").getString("content");
    }

    @Test
    void streamThatBreaksAfterItStartedEndsWithAnSseErrorEvent() throws Exception {
        openai.enqueue(Reply.sseThenDrop(List.of(
            "data: {\"id\":\"c1\",\"object\":\"chat.completion.chunk\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"partial\"}}]}\n\n")));

        HttpResponse<InputStream> response = openStream("gpt-4o");

        assertEquals(200, response.statusCode());
        try (Sse events = new Sse(response.body())) {
            assertEquals("partial", events.next().json().getJsonArray("choices").getJsonObject(0)
                .getJsonObject("delta").getString("content"));
            Sse.Event error = events.next();
            assertEquals("error", error.event());
            assertEquals("backend_stream_failed", error.json().getJsonObject("error").getString("code"));
            assertNull(events.next(), "the stream ends after the error event");
        }
    }
}
