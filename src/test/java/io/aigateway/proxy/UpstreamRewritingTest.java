package io.aigateway.proxy;

import io.aigateway.testing.FakeBackend;
import io.aigateway.testing.GatewayServer;
import io.aigateway.testing.Json;
import io.aigateway.testing.RecordedRequest;
import jakarta.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Each backend flavor gets the exact upstream path, query, credentials and model name the issue specifies, for
 * every operation, whichever inbound style (OpenAI, Azure dated, Azure v1) the client used.
 */
class UpstreamRewritingTest {
    static final String CLIENT_KEY = "sk-client-canary-0123456789";

    static FakeBackend openai;
    static FakeBackend azure;
    static FakeBackend azureV1;
    static GatewayServer gateway;

    @BeforeAll
    static void start() {
        openai = FakeBackend.start("openai");
        azure = FakeBackend.start("azure");
        azureV1 = FakeBackend.start("azurev1");
        gateway = GatewayServer.start("""
            tenants:
              - name: team
                keys: ["%s"]
                models: ["*"]
            backends:
              - name: oai
                flavor: openai
                endpoint: %s/v1
                keys: [sk-openai-backend]
                headers: {OpenAI-Organization: org-backend}
                deployments:
                  - {name: gpt-4o-mini-2024-07-18, model: oai-chat}
                  - {name: text-embedding-3-small, model: oai-embed}
              - name: az
                flavor: azure
                endpoint: %s
                api_version: 2024-10-21
                keys: [az-backend-key]
                deployments:
                  - {name: prod-gpt4o, model: az-chat}
                  - {name: prod-embed, model: az-embed}
              - name: az1
                flavor: azure-v1
                endpoint: %s/
                keys: [az1-backend-key]
                deployments:
                  - {name: v1-gpt4o, model: az1-chat}
            """.formatted(CLIENT_KEY, openai.url(), azure.url(), azureV1.url()));
    }

    @AfterAll
    static void stop() throws Exception {
        gateway.close();
        openai.close();
        azure.close();
        azureV1.close();
    }

    @BeforeEach
    void clear() {
        openai.clearRequests();
        azure.clearRequests();
        azureV1.clearRequests();
    }

    @Test
    void openAiFlavorGetsBearerKeyEndpointPathAndDeploymentAsModel() {
        HttpResponse<String> response = gateway.post("/v1/chat/completions", CLIENT_KEY, Json.chat("oai-chat", false));

        assertEquals(200, response.statusCode(), response.body());
        RecordedRequest upstream = openai.takeRequest();
        assertEquals("POST", upstream.method());
        assertEquals("/v1/chat/completions", upstream.path());
        assertNull(upstream.query());
        assertEquals("Bearer sk-openai-backend", upstream.header("Authorization"));
        assertEquals("gpt-4o-mini-2024-07-18", upstream.json().getString("model"));
        assertEquals("org-backend", upstream.header("OpenAI-Organization"), "configured headers are added");
        assertNoClientCredentials(upstream);
        // The response's model is what the backend says.
        assertEquals("gpt-4o-mini-2024-07-18", Json.parse(response.body()).getString("model"));
    }

    @Test
    void azureFlavorGetsDeploymentPathApiVersionAndApiKey() {
        HttpResponse<String> response = gateway.post("/v1/chat/completions", CLIENT_KEY, Json.chat("az-chat", false));

        assertEquals(200, response.statusCode(), response.body());
        RecordedRequest upstream = azure.takeRequest();
        assertEquals("/openai/deployments/prod-gpt4o/chat/completions", upstream.path());
        assertEquals("api-version=2024-10-21", upstream.query());
        assertEquals("az-backend-key", upstream.header("api-key"));
        assertNull(upstream.header("Authorization"));
        assertEquals("prod-gpt4o", upstream.json().getString("model"));
        assertNoClientCredentials(upstream);
    }

    @Test
    void azureFlavorEmbeddingsAndCompletionsUseTheDeploymentPath() {
        assertEquals(200, gateway.post("/v1/embeddings", CLIENT_KEY, Json.embeddings("az-embed", "hi")).statusCode());
        RecordedRequest embeddings = azure.takeRequest();
        assertEquals("/openai/deployments/prod-embed/embeddings", embeddings.path());
        assertEquals("2024-10-21", embeddings.queryParam("api-version"));

        assertEquals(200, gateway.post("/v1/completions", CLIENT_KEY, Json.completion("az-chat", false)).statusCode());
        assertEquals("/openai/deployments/prod-gpt4o/completions", azure.takeRequest().path());
    }

    @Test
    void azureFlavorResponsesGoToTheSharedPathWithDeploymentAsModel() {
        HttpResponse<String> response = gateway.post("/v1/responses", CLIENT_KEY, Json.response("az-chat", false));

        assertEquals(200, response.statusCode(), response.body());
        RecordedRequest upstream = azure.takeRequest();
        assertEquals("/openai/responses", upstream.path());
        assertEquals("api-version=2024-10-21", upstream.query());
        assertEquals("prod-gpt4o", upstream.json().getString("model"));
    }

    @Test
    void azureV1FlavorGetsOpenAiPathsUnderOpenaiV1WithApiKey() {
        assertEquals(200, gateway.post("/v1/chat/completions", CLIENT_KEY, Json.chat("az1-chat", false)).statusCode());
        RecordedRequest chat = azureV1.takeRequest();
        assertEquals("/openai/v1/chat/completions", chat.path());
        assertNull(chat.query());
        assertEquals("az1-backend-key", chat.header("api-key"));
        assertEquals("v1-gpt4o", chat.json().getString("model"));
        assertNoClientCredentials(chat);

        assertEquals(200, gateway.post("/v1/responses", CLIENT_KEY, Json.response("az1-chat", false)).statusCode());
        assertEquals("/openai/v1/responses", azureV1.takeRequest().path());
    }

    @Test
    void openAiFlavorServesEveryOperation() {
        assertEquals(200, gateway.post("/v1/embeddings", CLIENT_KEY, Json.embeddings("oai-embed", "a", "b")).statusCode());
        RecordedRequest embeddings = openai.takeRequest();
        assertEquals("/v1/embeddings", embeddings.path());
        assertEquals("text-embedding-3-small", embeddings.json().getString("model"));

        assertEquals(200, gateway.post("/v1/completions", CLIENT_KEY, Json.completion("oai-chat", false)).statusCode());
        assertEquals("/v1/completions", openai.takeRequest().path());

        assertEquals(200, gateway.post("/v1/responses", CLIENT_KEY, Json.response("oai-chat", false)).statusCode());
        assertEquals("/v1/responses", openai.takeRequest().path());
    }

    @Test
    void azureStyleInboundPathNamesThePublicModelAndTakesApiKeyHeader() {
        HttpRequest request = gateway.request("/openai/deployments/oai-chat/chat/completions?api-version=2024-06-01", null)
            .header("api-key", CLIENT_KEY)
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString("{\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}"))
            .build();

        HttpResponse<String> response = gateway.send(request);

        assertEquals(200, response.statusCode(), response.body());
        RecordedRequest upstream = openai.takeRequest();
        assertEquals("/v1/chat/completions", upstream.path());
        assertNull(upstream.query(), "the client's api-version is not forwarded to an OpenAI backend");
        JsonObject body = upstream.json();
        assertEquals("gpt-4o-mini-2024-07-18", body.getString("model"), "the model from the path is added to the body");
        assertEquals("hi", body.getJsonArray("messages").getJsonObject(0).getString("content"));
        assertNoClientCredentials(upstream);
    }

    @Test
    void azureStyleInboundPathToAnAzureBackendGetsTheBackendsApiVersion() {
        HttpRequest request = gateway.request("/openai/deployments/az-embed/embeddings?api-version=2023-05-15", null)
            .header("x-api-key", CLIENT_KEY)
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString("{\"input\":\"hi\"}"))
            .build();

        assertEquals(200, gateway.send(request).statusCode());
        RecordedRequest upstream = azure.takeRequest();
        assertEquals("/openai/deployments/prod-embed/embeddings", upstream.path());
        assertEquals("api-version=2024-10-21", upstream.query());
    }

    @Test
    void azureV1InboundBaseUrlIsTreatedAsV1() {
        HttpResponse<String> response = gateway.post("/openai/v1/chat/completions", CLIENT_KEY, Json.chat("az-chat", false));

        assertEquals(200, response.statusCode(), response.body());
        assertEquals("/openai/deployments/prod-gpt4o/chat/completions", azure.takeRequest().path());
    }

    @Test
    void backendAccountHeadersAndCookiesDoNotReachTheClientButOtherHeadersDo() {
        openai.enqueue(io.aigateway.testing.Reply.defaultReply()
            .withHeader("openai-organization", "org-backend-account")
            .withHeader("Set-Cookie", "__cf_bm=abc; path=/")
            .withHeader("x-request-id", "req_123"));

        HttpResponse<String> response = gateway.post("/v1/chat/completions", CLIENT_KEY, Json.chat("oai-chat", false));

        assertEquals(200, response.statusCode());
        assertTrue(response.headers().firstValue("openai-organization").isEmpty());
        assertTrue(response.headers().firstValue("set-cookie").isEmpty());
        assertEquals("req_123", response.headers().firstValue("x-request-id").orElse(null));
    }

    @Test
    void hopByHopHeadersAndTheOnesTheClientNamesInConnectionAreDropped() throws Exception {
        String body = Json.chat("oai-chat", false);
        try (java.net.Socket socket = new java.net.Socket(gateway.url().getHost(), gateway.url().getPort())) {
            String request = "POST /v1/chat/completions HTTP/1.1\r\n"
                + "Host: gateway\r\n"
                + "Authorization: Bearer " + CLIENT_KEY + "\r\n"
                + "Content-Type: application/json\r\n"
                + "Connection: close, X-Hop-Secret\r\n"
                + "X-Hop-Secret: do-not-forward\r\n"
                + "Keep-Alive: timeout=5\r\n"
                + "TE: trailers\r\n"
                + "Proxy-Authorization: Basic Zm9vOmJhcg==\r\n"
                + "X-End-To-End: kept\r\n"
                + "Content-Length: " + body.getBytes(java.nio.charset.StandardCharsets.UTF_8).length + "\r\n\r\n" + body;
            socket.getOutputStream().write(request.getBytes(java.nio.charset.StandardCharsets.UTF_8));
            String status = new java.io.BufferedReader(new java.io.InputStreamReader(socket.getInputStream())).readLine();
            assertEquals("HTTP/1.1 200 OK", status);
        }
        RecordedRequest upstream = openai.takeRequest();
        for (String hop : new String[] {"x-hop-secret", "keep-alive", "te", "proxy-authorization"})
            assertNull(upstream.header(hop), hop + " reached the backend");
        assertEquals("kept", upstream.header("X-End-To-End"));
        assertNoClientCredentials(upstream);
    }

    @Test
    void everythingElseInTheBodyReachesTheBackendByteForByte() {
        String body = "{ \"messages\" : [{\"role\":\"user\",\"content\":\"caf\u00e9 \\u00e9 \\\"q\\\"\"}],\n"
            + "  \"model\" :\"oai-chat\", \"temperature\": 0.25, \"n\":1 }";

        assertEquals(200, gateway.post("/v1/chat/completions", CLIENT_KEY, body).statusCode());
        String expected = body.replace("\"oai-chat\"", "\"gpt-4o-mini-2024-07-18\"");
        assertEquals(expected, openai.takeRequest().bodyText());
    }

    private static void assertNoClientCredentials(RecordedRequest upstream) {
        upstream.headers().forEach((name, values) -> {
            for (String value : values)
                assertFalse(value.contains(CLIENT_KEY), "client key leaked upstream in header " + name);
        });
        assertFalse(upstream.bodyText().contains(CLIENT_KEY));
        assertNull(upstream.header("x-api-key"));
        assertTrue(upstream.header("Authorization") == null || !upstream.header("Authorization").contains(CLIENT_KEY));
    }
}
