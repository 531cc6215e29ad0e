package io.aigateway.proxy;

import io.aigateway.registry.Deployment;
import io.aigateway.routing.DeploymentStats;
import io.aigateway.testing.FakeBackend;
import io.aigateway.testing.GatewayServer;
import io.aigateway.testing.Json;
import io.aigateway.testing.Reply;
import io.aigateway.testing.Sse;
import jakarta.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Backends that answer garbage or die mid-answer, each with its outcome for the client (status, body shape,
 * failover or not) and for the deployment (counted as failed or not). Faults covered elsewhere: refused
 * connections and timeouts ({@code GatewayErrorsTest}), a stream reset or silent mid-stream
 * ({@code StreamFailureTest}), 4xx/5xx/429 classes ({@code ResilienceTest}), refused certificates
 * ({@code BackendTlsTest}).
 *
 * <p>The rule the outcomes follow: until the first byte reaches the client a fault is invisible (failover);
 * a 2xx whose content type is no API reply (an HTML page) is such a fault. After that, a successful body is relayed
 * as the backend sends it, never buffered and never rewritten, so a body that is well framed but not valid JSON
 * reaches the client as sent.
 */
class BackendFaultsTest {
    static final String KEY = "sk-faults-test";

    private static String config(FakeBackend first, FakeBackend second) {
        return "tenants: [{name: team, keys: [\"" + KEY + "\"], models: [\"*\"]}]\nbackends:\n"
            + "  - {name: first, flavor: openai, endpoint: \"" + first.url() + "/v1\", models: [gpt-4o], priority: 0,"
            + " timeouts: {first_byte: 300ms, stream_first_byte: 300ms}}\n"
            + (second == null ? "" : "  - {name: second, flavor: openai, endpoint: \"" + second.url() + "/v1\", models: [gpt-4o], priority: 1}\n");
    }

    private static HttpResponse<String> chat(GatewayServer gateway, boolean stream) {
        return gateway.post("/v1/chat/completions", KEY, Json.chat("gpt-4o", stream));
    }

    private static DeploymentStats stats(GatewayServer gateway, String backend) {
        Deployment deployment = gateway.gateway().registry().backends().stream().filter(b -> b.name().equals(backend))
            .findFirst().orElseThrow().deployments().get(0);
        return gateway.gateway().stats().stats(deployment);
    }

    private static String servedBy(HttpResponse<?> response) {
        return response.headers().firstValue(FakeBackend.BACKEND_HEADER).orElse("?");
    }

    @ParameterizedTest(name = "200 {0}")
    @ValueSource(strings = {"text/html; charset=utf-8", "application/xml", "application/octet-stream"})
    void aSuccessThatIsNoApiReplyFailsOverAndCountsAgainstTheDeployment(String contentType) {
        try (FakeBackend first = FakeBackend.start("first"); FakeBackend second = FakeBackend.start("second");
             GatewayServer gateway = GatewayServer.start(config(first, second))) {
            first.enqueue(Reply.text(200, contentType, "<html><body>Please log in to the hotel Wi-Fi</body></html>"));

            HttpResponse<String> response = chat(gateway, false);

            assertEquals(200, response.statusCode(), response.body());
            assertEquals("second", servedBy(response));
            assertFalse(response.body().contains("<html>"), "the page never reaches the client");
            assertEquals(1, stats(gateway, "first").failed());
        }
    }

    @Test
    void aSuccessThatIsNoApiReplyFromTheOnlyBackendIs502() {
        try (FakeBackend only = FakeBackend.start("first");
             GatewayServer gateway = GatewayServer.start(config(only, null))) {
            only.enqueue(Reply.text(200, "text/html", "<html>maintenance</html>"));

            HttpResponse<String> response = chat(gateway, false);

            assertEquals(502, response.statusCode());
            JsonObject error = Json.parse(response.body()).getJsonObject("error");
            assertEquals("backend_unreachable", error.getString("code"));
            assertEquals("server_error", error.getString("type"));
        }
    }

    @Test
    void anHtmlErrorPageWithA5xxStatusFailsOverByItsStatus() {
        try (FakeBackend first = FakeBackend.start("first"); FakeBackend second = FakeBackend.start("second");
             GatewayServer gateway = GatewayServer.start(config(first, second))) {
            first.enqueue(Reply.text(502, "text/html", "<html><h1>502 Bad Gateway</h1></html>"));

            HttpResponse<String> response = chat(gateway, false);

            assertEquals(200, response.statusCode());
            assertEquals("second", servedBy(response));
            assertEquals(1, stats(gateway, "first").failed());
        }
    }

    @ParameterizedTest(name = "body [{0}]")
    @ValueSource(strings = {"{\"id\":\"chatcmpl-1\",\"object\":\"chat.completion\",\"choices\":[{\"index\":0,", "not json at all", ""})
    void aWellFramedSuccessThatIsNotValidJsonIsRelayedAsSent(String body) {
        try (FakeBackend first = FakeBackend.start("first"); FakeBackend second = FakeBackend.start("second");
             GatewayServer gateway = GatewayServer.start(config(first, second))) {
            first.enqueue(Reply.json(200, body));

            HttpResponse<String> response = chat(gateway, false);

            assertEquals(200, response.statusCode());
            assertEquals("first", servedBy(response));
            assertEquals(body, response.body(), "streamed through, not buffered or rewritten");
            assertEquals(0, second.requestCount());
            assertEquals(0, stats(gateway, "first").failed());
        }
    }

    @Test
    void jsonSentAsTextPlainPassesForCompatibleServers() {
        try (FakeBackend first = FakeBackend.start("first");
             GatewayServer gateway = GatewayServer.start(config(first, null))) {
            first.enqueue(Reply.text(200, "text/plain", "{\"id\":\"chatcmpl-1\",\"object\":\"chat.completion\",\"choices\":[]}"));

            HttpResponse<String> response = chat(gateway, false);

            assertEquals(200, response.statusCode());
            assertEquals("chatcmpl-1", Json.parse(response.body()).getString("id"));
        }
    }

    @Test
    void aSuccessStatusWithAnErrorBodyIsRelayedAsSentAndNotRetried() {
        try (FakeBackend first = FakeBackend.start("first"); FakeBackend second = FakeBackend.start("second");
             GatewayServer gateway = GatewayServer.start(config(first, second))) {
            first.enqueue(Reply.error(200, "server_error", "internal", "The server had an error"));

            HttpResponse<String> response = chat(gateway, false);

            assertEquals(200, response.statusCode(), "the status is the backend's: the gateway does not reinterpret a 2xx");
            assertEquals("internal", Json.parse(response.body()).getJsonObject("error").getString("code"));
            assertEquals(0, second.requestCount());
        }
    }

    @Test
    void aStreamWithoutDoneEndsWhenTheBackendEndsItWithNothingAdded() throws Exception {
        try (FakeBackend first = FakeBackend.start("first");
             GatewayServer gateway = GatewayServer.start(config(first, null))) {
            first.enqueue(Reply.sse(
                "data: {\"id\":\"c1\",\"object\":\"chat.completion.chunk\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"hi\"}}]}\n\n"));

            HttpResponse<InputStream> response = gateway.open(gateway.request("/v1/chat/completions", KEY)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(Json.chat("gpt-4o", true))).build());

            assertEquals(200, response.statusCode());
            try (Sse events = new Sse(response.body())) {
                List<Sse.Event> all = events.remaining();
                assertEquals(1, all.size(), all.toString());
                assertEquals("hi", all.get(0).json().getJsonArray("choices").getJsonObject(0).getJsonObject("delta").getString("content"));
                assertTrue(all.stream().noneMatch(Sse.Event::isDone), "no [DONE] is invented");
                assertTrue(all.stream().noneMatch(e -> "error".equals(e.event())), "a clean end is not an error");
            }
            assertEquals(0, stats(gateway, "first").failed());
        }
    }

    @Test
    void aResetAfterTheHeadersBeforeAnyBodyFailsOverInvisibly() {
        try (FakeBackend first = FakeBackend.start("first"); FakeBackend second = FakeBackend.start("second");
             GatewayServer gateway = GatewayServer.start(config(first, second))) {
            first.enqueue(Reply.textThenDrop(200, "application/json", ""));

            HttpResponse<String> response = chat(gateway, false);

            assertEquals(200, response.statusCode());
            assertEquals("second", servedBy(response));
            assertEquals(1, stats(gateway, "first").failed());
        }
    }

    @Test
    void aResetMidBodyCutsTheClientsResponseAndCountsAgainstTheDeployment() {
        try (FakeBackend first = FakeBackend.start("first"); FakeBackend second = FakeBackend.start("second");
             GatewayServer gateway = GatewayServer.start(config(first, second))) {
            first.enqueue(Reply.textThenDrop(200, "application/json", "{\"id\":\"chatcmpl-1\",\"object\":"));

            // Bytes already reached the client: no failover; the client sees the body cut short, not a whole reply.
            UncheckedIOException cut = assertThrows(UncheckedIOException.class, () -> chat(gateway, false));

            assertTrue(cut.getCause() instanceof IOException);
            assertEquals(0, second.requestCount());
            assertEquals(1, stats(gateway, "first").failed());
        }
    }

    @Test
    void aBackendThatHangsBeforeItsHeadersIsLeftAtItsFirstByteTimeout() {
        try (FakeBackend first = FakeBackend.start("first"); FakeBackend second = FakeBackend.start("second");
             GatewayServer gateway = GatewayServer.start(config(first, second))) {
            Reply.Hang hang = Reply.hang();
            first.enqueue(hang);

            HttpResponse<String> response = chat(gateway, false);

            assertEquals(200, response.statusCode());
            assertEquals("second", servedBy(response));
            assertEquals(1, stats(gateway, "first").failed());
            hang.release();
        }
    }
}
