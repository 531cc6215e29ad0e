package io.aigateway.security;

import io.aigateway.testing.FakeBackend;
import io.aigateway.testing.GatewayServer;
import io.aigateway.testing.Json;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code security.allowed_backend_hosts} end to end: a gateway whose backends are on the list serves them; a config
 * naming a backend off the list never starts, so no request (and no backend key) ever reaches that address.
 */
class BackendHostAllowListTest {
    static final String KEY = "sk-allow-list-test";

    private static String config(String allowed, String endpoint) {
        return """
            security: {allowed_backend_hosts: [%s]}
            tenants: [{name: team, keys: ["%s"], models: ["*"]}]
            backends:
              - {name: internal, flavor: openai, endpoint: "%s/v1", keys: [sk-backend-secret], models: [gpt-4o]}
            """.formatted(allowed, KEY, endpoint);
    }

    @Test
    void aBackendOnTheListIsServed() {
        try (FakeBackend backend = FakeBackend.start("internal");
             GatewayServer gateway = GatewayServer.start(config("\"127.0.0.0/8\"", backend.url().toString()))) {
            HttpResponse<String> response = gateway.post("/v1/chat/completions", KEY, Json.chat("gpt-4o", false));

            assertEquals(200, response.statusCode(), response.body());
            assertEquals(1, backend.requestCount());
        }
    }

    @Test
    void aConfigNamingAHostOffTheListDoesNotStartAndReachesNothing() {
        try (FakeBackend backend = FakeBackend.start("internal")) {
            String endpoint = "http://localhost:" + backend.port();

            IllegalStateException failure = assertThrows(IllegalStateException.class,
                () -> GatewayServer.start(config("api.openai.com, \"*.openai.azure.com\", \"10.0.0.0/8\"", endpoint)).close());

            String problems = causes(failure);
            assertTrue(problems.contains("backends[0].endpoint: host 'localhost' is not in security.allowed_backend_hosts"), problems);
            assertEquals(0, backend.requestCount());
        }
    }

    private static String causes(Throwable failure) {
        StringBuilder text = new StringBuilder();
        for (Throwable cause = failure; cause != null; cause = cause.getCause())
            text.append(cause.getMessage()).append('\n');
        return text.toString();
    }
}
