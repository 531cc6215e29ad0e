package io.aigateway.notify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.aigateway.notify.Receiver.Received;
import io.aigateway.testing.FakeBackend;
import io.aigateway.testing.GatewayServer;
import io.aigateway.testing.Json;
import io.aigateway.testing.Reply;
import jakarta.json.JsonObject;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A real gateway in Jetty telling a real receiver about its backends' failures. */
class NotificationsEndToEndTest {
    private static final String TENANT_KEY = "sk-notify-tenant-0001";
    private static final String BACKEND_KEY = "backend-secret-key-0001";
    private static final String MATRIX_TOKEN = "syt_e2e_matrix_token_0001";
    private static final List<String> SECRETS = List.of(TENANT_KEY, BACKEND_KEY, MATRIX_TOKEN, "hook-token-0001");

    private static String config(FakeBackend backend, Receiver receiver, String events) {
        return "tenants: [{name: team, keys: [\"" + TENANT_KEY + "\"], models: [\"*\"]}]\n"
                + "backends:\n"
                + "  - {name: a, flavor: openai, endpoint: \"" + backend.url() + "/v1\", keys: [" + BACKEND_KEY + "],"
                + " models: [gpt-4o], circuit_breaker: {consecutive_failures: 1}}\n"
                + "notifications:\n"
                + "  channels:\n"
                + "    - {type: webhook, url: \"" + receiver.url("/hook/hook-token-0001") + "\"}\n"
                + "    - {type: matrix, url: \"" + receiver.url("") + "\", room_id: \"!ops:example.org\","
                + " access_token: \"" + MATRIX_TOKEN + "\"}\n"
                + "  events: " + events + "\n";
    }

    /** "event subject" of each webhook message, checking that no message of either channel holds a secret. */
    private static Set<String> receive(Receiver receiver, int messages) {
        Set<String> webhook = new HashSet<>();
        int matrix = 0;
        for (int i = 0; i < messages; i++) {
            Received got = receiver.take();
            for (String secret : SECRETS) {
                assertFalse(got.body().contains(secret), secret + " in " + got.body());
            }
            if (got.path().startsWith("/hook/")) {
                JsonObject body = Json.parse(got.body());
                webhook.add(body.getString("event") + " " + body.getString("subject"));
            } else {
                assertEquals("Bearer " + MATRIX_TOKEN, got.header("Authorization"));
                matrix++;
            }
        }
        assertEquals(webhook.size(), matrix, "each message went to both channels");
        return webhook;
    }

    private static boolean notifierThreadsAlive() {
        return Thread.getAllStackTraces().keySet().stream()
                .anyMatch(thread -> thread.isAlive() && thread.getName().startsWith("aigateway-notify"));
    }

    @Test
    void aTenantThatUsedUpItsQuotaIsNotified(@TempDir Path state) {
        try (Receiver receiver = Receiver.start(); FakeBackend a = FakeBackend.start("a");
             GatewayServer gateway = GatewayServer.start(config(a, receiver, "[quota_exhausted]").replace(
                 "models: [\"*\"]}]", "models: [\"*\"], quota: {requests: 1, reset: \"0 0 * * *\"}}]")
                 + "limits: {state_file: \"" + state.resolve("quota.json") + "\"}\n")) {
            assertEquals(200, gateway.post("/v1/chat/completions", TENANT_KEY, Json.chat("gpt-4o", false)).statusCode());
            assertEquals(429, gateway.post("/v1/chat/completions", TENANT_KEY, Json.chat("gpt-4o", false)).statusCode());

            assertEquals(Set.of("quota_exhausted tenant team"), receive(receiver, 2));
        }
    }

    @Test
    void aBreakerOpenedByA500IsNotifiedWithTheModelItTookOut() {
        try (Receiver receiver = Receiver.start(); FakeBackend a = FakeBackend.start("a")) {
            try (GatewayServer gateway = GatewayServer.start(
                    config(a, receiver, "[circuit_opened, model_unavailable, deployment_recovered]"))) {
                a.always(Reply.error(500, "server_error", null, "boom"));

                assertNotEquals(200, gateway.post("/v1/chat/completions", TENANT_KEY, Json.chat("gpt-4o", false))
                        .statusCode());

                assertEquals(Set.of("circuit_opened a/gpt-4o", "model_unavailable gpt-4o"), receive(receiver, 4));
                assertTrue(notifierThreadsAlive());
            }
            assertFalse(notifierThreadsAlive(), "undeploying the webapp stops the notifier");
        }
    }

    @Test
    void oneRefusedKeyAmongSeveralIsNotifiedWhileTheDeploymentKeepsServing() {
        try (Receiver receiver = Receiver.start(); FakeBackend a = FakeBackend.start("a");
             GatewayServer gateway = GatewayServer.start(config(a, receiver, "[key_disabled, deployment_down]")
                 .replace("keys: [" + BACKEND_KEY + "]", "keys: [" + BACKEND_KEY + ", second-backend-key-0002]"))) {
            a.enqueue(Reply.error(401, "invalid_request_error", "invalid_api_key", "Incorrect API key provided"));

            assertEquals(200, gateway.post("/v1/chat/completions", TENANT_KEY, Json.chat("gpt-4o", false)).statusCode());

            assertEquals(Set.of("key_disabled a"), receive(receiver, 2));
            assertNull(receiver.poll(300), "no deployment_down: the other key serves");
        }
    }

    @Test
    void aBackendRefusingItsOnlyKeyIsNotifiedAsKeyDisabledAndDeploymentDown() {
        try (Receiver receiver = Receiver.start(); FakeBackend a = FakeBackend.start("a");
             GatewayServer gateway = GatewayServer.start(
                     config(a, receiver, "[key_disabled, deployment_down, model_unavailable]"))) {
            a.always(Reply.error(401, "invalid_request_error", "invalid_api_key", "Incorrect API key provided"));

            gateway.post("/v1/chat/completions", TENANT_KEY, Json.chat("gpt-4o", false));

            assertEquals(Set.of("deployment_down a/gpt-4o", "key_disabled a", "model_unavailable gpt-4o"),
                    receive(receiver, 6));
        }
    }
}
