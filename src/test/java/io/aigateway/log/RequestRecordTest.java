package io.aigateway.log;

import io.aigateway.routing.FailureClass;
import io.aigateway.testing.FakeBackend;
import io.aigateway.testing.GatewayServer;
import io.aigateway.testing.Json;
import io.aigateway.testing.Reply;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Every request that reaches the proxy ends in exactly one record saying what it did. */
class RequestRecordTest {
    static final String KEY = "sk-record-test";

    @Test
    void eachRequestPublishesOneRecordWithItsRouteOutcomeAndTimings() throws Exception {
        try (FakeBackend a = FakeBackend.start("a"); FakeBackend b = FakeBackend.start("b");
             GatewayServer gateway = GatewayServer.start("""
                 tenants: [{name: team, keys: ["%s"], models: ["*"]}]
                 backends:
                   - {name: a, flavor: openai, endpoint: "%s/v1", models: [gpt-4o], priority: 0}
                   - {name: b, flavor: openai, endpoint: "%s/v1", models: [gpt-4o], priority: 1}
                 """.formatted(KEY, a.url(), b.url()))) {
            LinkedBlockingQueue<RequestRecord> records = new LinkedBlockingQueue<>();
            gateway.gateway().addRequestListener(records::add);

            gateway.post("/v1/chat/completions", KEY, Json.chat("gpt-4o", true));
            RequestRecord streamed = records.poll(10, TimeUnit.SECONDS);
            assertNotNull(streamed);
            assertEquals("team", streamed.tenant());
            assertEquals("gpt-4o", streamed.model());
            assertEquals("CHAT_COMPLETIONS", streamed.operation());
            assertEquals("a/gpt-4o", streamed.deployment());
            assertEquals(200, streamed.status());
            assertTrue(streamed.stream());
            assertEquals(1, streamed.attempts());
            assertNotNull(streamed.firstByte());
            assertTrue(streamed.duration().compareTo(streamed.firstByte()) >= 0);
            assertFalse(streamed.cancelled());

            a.enqueue(Reply.error(503, "server_error", null, "blip"));
            gateway.post("/v1/chat/completions", KEY, Json.chat("gpt-4o", false));
            RequestRecord failedOver = records.poll(10, TimeUnit.SECONDS);
            assertEquals("b/gpt-4o", failedOver.deployment());
            assertEquals(2, failedOver.attempts());
            assertEquals(1, failedOver.retries());
            assertEquals(List.of(FailureClass.SERVER_ERROR), failedOver.failures());

            gateway.post("/v1/chat/completions", KEY, Json.chat("no-such-model", false));
            RequestRecord refused = records.poll(10, TimeUnit.SECONDS);
            assertEquals(404, refused.status());
            assertEquals("model_not_found", refused.errorCode());
            assertEquals(0, refused.attempts());
            assertNull(refused.deployment());

            assertNull(records.poll(200, TimeUnit.MILLISECONDS), "one record per request");
        }
    }
}
