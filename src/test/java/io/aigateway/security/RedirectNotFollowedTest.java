package io.aigateway.security;

import io.aigateway.testing.FakeBackend;
import io.aigateway.testing.GatewayServer;
import io.aigateway.testing.Json;
import io.aigateway.testing.Reply;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.net.http.HttpResponse;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * A backend that answers with a redirect cannot send the gateway (and its backend key) elsewhere: the 3xx is
 * relayed to the client as it came (class UNKNOWN: not retried), and the redirect target receives nothing.
 */
class RedirectNotFollowedTest {
    static final String KEY = "sk-redirect-test";

    static FakeBackend redirecting;
    static FakeBackend target;
    static GatewayServer gateway;

    @BeforeAll
    static void start() {
        redirecting = FakeBackend.start("redirecting");
        target = FakeBackend.start("target");
        gateway = GatewayServer.start("""
            tenants:
              - {name: team, keys: ["%s"], models: ["*"]}
            backends:
              - {name: redirecting, flavor: openai, endpoint: "%s/v1", keys: [sk-backend-secret], models: [gpt-4o]}
            """.formatted(KEY, redirecting.url()));
    }

    @AfterAll
    static void stop() {
        gateway.close();
        redirecting.close();
        target.close();
    }

    @BeforeEach
    void clear() {
        redirecting.reset().clearRequests();
        target.clearRequests();
    }

    @ParameterizedTest
    @ValueSource(ints = {301, 302, 303, 307, 308})
    void redirectIsRelayedNotFollowed(int status) {
        String location = target.url() + "/v1/chat/completions";
        redirecting.always(Reply.json(status, "{\"moved\":true}").withHeader("Location", location));
        HttpResponse<String> response = gateway.post("/v1/chat/completions", KEY, Json.chat("gpt-4o", false));
        assertEquals(status, response.statusCode(), response.body());
        assertEquals(location, response.headers().firstValue("Location").orElse(null));
        assertEquals("{\"moved\":true}", response.body());
        // Relayed, not retried: one attempt on the redirecting backend, none anywhere else.
        assertEquals(1, redirecting.requestCount());
        assertEquals(0, target.requestCount(), () -> "the redirect was followed: " + target.requests());
    }
}
