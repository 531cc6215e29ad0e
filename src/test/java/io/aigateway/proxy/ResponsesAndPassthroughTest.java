package io.aigateway.proxy;

import io.aigateway.testing.FakeBackend;
import io.aigateway.testing.GatewayServer;
import io.aigateway.testing.Json;
import io.aigateway.testing.RecordedRequest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Stored responses are fetched and deleted on the backend that created them; other {@code /v1/*} endpoints pass
 * through to an OpenAI-flavor backend with only the model renamed.
 */
class ResponsesAndPassthroughTest {
    static final String KEY = "sk-responses-test";

    static FakeBackend a;
    static FakeBackend b;
    static FakeBackend azure;
    static GatewayServer gateway;

    @BeforeAll
    static void start() {
        a = FakeBackend.start("a");
        b = FakeBackend.start("b");
        azure = FakeBackend.start("azure");
        gateway = GatewayServer.start("""
            tenants: [{name: team, keys: ["%s"], models: ["*"]}]
            backends:
              - {name: a, flavor: openai, endpoint: "%s/v1", deployments: [{name: up-4o, model: gpt-4o}, {name: whisper-1, model: whisper}, {name: dall-e-3, model: images}]}
              - {name: b, flavor: openai, endpoint: "%s/v1", deployments: [{name: up-4o, model: gpt-4o}]}
              - {name: az, flavor: azure, endpoint: "%s", api_version: 2025-03-01-preview, deployments: [{name: az-4o, model: gpt-4o}, {name: az-img, model: images}]}
            """.formatted(KEY, a.url(), b.url(), azure.url()));
    }

    @AfterAll
    static void stop() throws Exception {
        gateway.close();
        a.close();
        b.close();
        azure.close();
    }

    @BeforeEach
    void clear() {
        a.clearRequests();
        b.clearRequests();
        azure.clearRequests();
    }

    @Test
    void storedResponsesAreFetchedAndDeletedWhereTheyWereCreated() {
        for (int i = 0; i < 6; i++) {
            HttpResponse<String> created = gateway.post("/v1/responses", KEY, Json.response("gpt-4o", false));
            assertEquals(200, created.statusCode(), created.body());
            String id = Json.parse(created.body()).getString("id");
            String creator = created.headers().firstValue(FakeBackend.BACKEND_HEADER).orElseThrow();

            HttpResponse<String> fetched = gateway.get("/v1/responses/" + id, KEY);
            assertEquals(200, fetched.statusCode(), fetched.body());
            assertEquals(id, Json.parse(fetched.body()).getString("id"));
            assertEquals(creator, fetched.headers().firstValue(FakeBackend.BACKEND_HEADER).orElseThrow());

            HttpResponse<String> deleted = gateway.send(gateway.request("/v1/responses/" + id, KEY).DELETE().build());
            assertEquals(200, deleted.statusCode(), deleted.body());
            assertEquals(creator, deleted.headers().firstValue(FakeBackend.BACKEND_HEADER).orElseThrow());
        }
        assertTrue(azure.requestCount() > 0, "the azure backend served some of them");
    }

    @Test
    void aStoredResponseIsStillFetchedFromADrainingDeploymentButNotFromADisabledOne() throws Exception {
        io.aigateway.routing.health.HealthRegistry health = (io.aigateway.routing.health.HealthRegistry)gateway.gateway().health();
        io.aigateway.registry.Deployment onB = gateway.gateway().registry().backends().stream()
            .filter(backend -> backend.name().equals("b")).findFirst().orElseThrow().deployments().get(0);
        HttpResponse<String> created = gateway.client().send(HttpRequest.newBuilder(b.url().resolve("/v1/responses"))
            .POST(HttpRequest.BodyPublishers.ofString(Json.response("up-4o", false))).build(), HttpResponse.BodyHandlers.ofString());
        String id = Json.parse(created.body()).getString("id");
        try {
            health.drain(onB);
            HttpResponse<String> fetched = gateway.get("/v1/responses/" + id, KEY);
            assertEquals(200, fetched.statusCode(), "a draining deployment still answers for what it holds: " + fetched.body());
            assertEquals("b", fetched.headers().firstValue(FakeBackend.BACKEND_HEADER).orElseThrow());

            health.disable(onB);
            b.clearRequests();
            assertEquals(404, gateway.get("/v1/responses/" + id, KEY).statusCode());
            assertEquals(0, b.requestCount(), "a disabled deployment gets no traffic at all");
        } finally {
            health.enable(onB);
        }
    }

    @Test
    void storedResponsesAreFoundOnTheRightBackendEvenWithoutAffinity() throws Exception {
        // Created directly on backend b, never seen by the gateway (another instance, or before a restart).
        HttpResponse<String> created = gateway.client().send(HttpRequest.newBuilder(b.url().resolve("/v1/responses"))
            .POST(HttpRequest.BodyPublishers.ofString(Json.response("up-4o", false))).build(), HttpResponse.BodyHandlers.ofString());
        String id = Json.parse(created.body()).getString("id");

        HttpResponse<String> fetched = gateway.get("/v1/responses/" + id, KEY);

        assertEquals(200, fetched.statusCode(), fetched.body());
        assertEquals("b", fetched.headers().firstValue(FakeBackend.BACKEND_HEADER).orElseThrow());
        assertEquals(404, gateway.get("/v1/responses/resp_unknown", KEY).statusCode());
    }

    @Test
    void streamedResponseCreationAlsoRemembersWhereItWasCreated() {
        for (int i = 0; i < 4; i++) {
            HttpResponse<String> created = gateway.post("/v1/responses", KEY, Json.response("gpt-4o", true));
            assertEquals(200, created.statusCode());
            String creator = created.headers().firstValue(FakeBackend.BACKEND_HEADER).orElseThrow();
            String data = created.body().lines().filter(l -> l.startsWith("data:")).findFirst().orElseThrow();
            String id = Json.parse(data.substring(5)).getJsonObject("response").getString("id");
            a.clearRequests();
            b.clearRequests();
            azure.clearRequests();

            assertEquals(200, gateway.get("/v1/responses/" + id, KEY).statusCode());
            int asked = a.requestCount() + b.requestCount() + azure.requestCount();
            assertEquals(1, asked, "went straight to " + creator);
        }
    }

    @Test
    void otherV1EndpointsPassThroughToAnOpenAiBackendWithTheModelRenamed() {
        String body = "{\"model\":\"images\",\"prompt\":\"a cat\",\"size\":\"1024x1024\"}";
        HttpResponse<String> response = gateway.send(gateway.request("/v1/images/generations?trace=1", KEY)
            .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build());

        RecordedRequest upstream = a.takeRequest();
        assertEquals("/v1/images/generations", upstream.path());
        assertEquals("trace=1", upstream.query());
        assertEquals(body.replace("\"images\"", "\"dall-e-3\""), upstream.bodyText());
        assertEquals(0, azure.requestCount(), "azure backends serve only the operations they have");
        assertEquals(404, response.statusCode(), "the fake has no images API: its answer is relayed");
    }

    @Test
    void multipartUploadsAreRoutedByTheirModelField() {
        String boundary = "----gatewaytest";
        String body = "--" + boundary + "\r\n"
            + "Content-Disposition: form-data; name=\"file\"; filename=\"a.wav\"\r\nContent-Type: audio/wav\r\n\r\n"
            + "RIFF....WAVEdata\r\n"
            + "--" + boundary + "\r\n"
            + "Content-Disposition: form-data; name=\"model\"\r\n\r\n"
            + "whisper\r\n"
            + "--" + boundary + "--\r\n";
        gateway.send(gateway.request("/v1/audio/transcriptions", KEY)
            .header("Content-Type", "multipart/form-data; boundary=" + boundary)
            .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8)).build());

        RecordedRequest upstream = a.takeRequest();
        assertEquals("/v1/audio/transcriptions", upstream.path());
        assertEquals(body.replace("\r\nwhisper\r\n", "\r\nwhisper-1\r\n"), upstream.bodyText());
        assertTrue(upstream.header("Content-Type").contains(boundary));
    }
}
