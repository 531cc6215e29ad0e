package io.aigateway.proxy;

import io.aigateway.testing.FakeBackend;
import io.aigateway.testing.GatewayServer;
import io.aigateway.testing.Json;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A JSON reply relayed byte for byte keeps the backend's length, so the client gets it in one piece rather than
 * chunked; a stream, whose length nobody knows, stays chunked; a converted reply gets no borrowed length.
 */
class ReplyFramingTest {
    static final String KEY = "sk-framing-tenant-0123456789";

    static FakeBackend backend;
    static GatewayServer gateway;

    @BeforeAll
    static void start() {
        backend = FakeBackend.start("openai");
        gateway = GatewayServer.start("""
            tenants: [{name: team, keys: ["%s"], models: ["*"]}]
            backends:
              - {name: oai, flavor: openai, endpoint: "%s/v1", models: [gpt-4o]}
            """.formatted(KEY, backend.url()));
    }

    @AfterAll
    static void stop() throws Exception {
        gateway.close();
        backend.close();
    }

    @Test
    void aRelayedJsonReplyKeepsTheBackendsLengthAndIsNotChunked() {
        HttpResponse<String> response = gateway.post("/v1/chat/completions", KEY, Json.chat("gpt-4o", false));

        assertEquals(200, response.statusCode(), response.body());
        int length = response.body().getBytes(StandardCharsets.UTF_8).length;
        assertEquals(String.valueOf(length), response.headers().firstValue("Content-Length").orElse("none"));
        assertTrue(response.headers().firstValue("Transfer-Encoding").isEmpty(), response.headers().map().toString());
        assertEquals("gpt-4o", Json.parse(response.body()).getString("model"));
    }

    @Test
    void aStreamHasNoLength() {
        HttpResponse<String> response = gateway.post("/v1/chat/completions", KEY, Json.chat("gpt-4o", true));

        assertEquals(200, response.statusCode(), response.body());
        assertTrue(response.headers().firstValue("Content-Length").isEmpty(), response.headers().map().toString());
        assertTrue(response.body().endsWith("data: [DONE]\n\n"), response.body());
    }
}
