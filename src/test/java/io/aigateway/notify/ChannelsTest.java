package io.aigateway.notify;

import static io.aigateway.notify.NotifierTestSupport.config;
import static io.aigateway.notify.NotifierTestSupport.notification;
import static io.aigateway.notify.NotifierTestSupport.notifier;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.aigateway.config.NotificationChannelConfig;
import io.aigateway.config.NotificationChannelType;
import io.aigateway.config.NotificationEventType;
import io.aigateway.notify.Receiver.Received;
import io.aigateway.testing.Json;
import io.aigateway.testing.TestClock;
import jakarta.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;

/** What each channel type puts on the wire, as a real HTTP receiver records it. */
class ChannelsTest {
    private static final String TEXT = "the circuit breaker of deployment a/gpt-4o opened";

    private static Received deliver(Receiver receiver, NotificationChannelConfig channel, TestClock clock) {
        try (Notifier notifier = notifier(config(channel), clock)) {
            notifier.publish(notification(NotificationEventType.CIRCUIT_OPENED, "a/gpt-4o", TEXT));
            return receiver.take();
        }
    }

    @Test
    void webhookPostsTheEventAsJson() {
        try (Receiver receiver = Receiver.start()) {
            Received got = deliver(receiver,
                    new NotificationChannelConfig(NotificationChannelType.WEBHOOK, receiver.url("/hooks/gateway")),
                    new TestClock());

            assertEquals("POST", got.method());
            assertEquals("/hooks/gateway", got.path());
            assertTrue(got.header("Content-Type").startsWith("application/json"), got.header("Content-Type"));
            JsonObject body = Json.parse(got.body());
            assertEquals("circuit_opened", body.getString("event"));
            assertEquals("a/gpt-4o", body.getString("subject"));
            assertEquals("[ai-gateway] circuit_opened: " + TEXT, body.getString("text"));
            assertEquals("2026-01-01T00:00:00Z", body.getString("at"));
            assertNull(got.header("Authorization"));
        }
    }

    @Test
    void slackPostsOnlyText() {
        try (Receiver receiver = Receiver.start()) {
            Received got = deliver(receiver,
                    new NotificationChannelConfig(NotificationChannelType.SLACK, receiver.url("/services/T0/B0/X")),
                    new TestClock());

            assertEquals("POST", got.method());
            assertEquals("/services/T0/B0/X", got.path());
            assertTrue(got.header("Content-Type").startsWith("application/json"));
            JsonObject body = Json.parse(got.body());
            assertEquals(1, body.size(), got.body());
            assertEquals("[ai-gateway] circuit_opened: " + TEXT, body.getString("text"));
        }
    }

    @Test
    void feishuWithoutSecretPostsATextMessageUnsigned() {
        try (Receiver receiver = Receiver.start()) {
            Received got = deliver(receiver, new NotificationChannelConfig(NotificationChannelType.FEISHU,
                    receiver.url("/open-apis/bot/v2/hook/abc")), new TestClock());

            assertEquals("POST", got.method());
            assertEquals("/open-apis/bot/v2/hook/abc", got.path());
            JsonObject body = Json.parse(got.body());
            assertEquals("text", body.getString("msg_type"));
            assertEquals("[ai-gateway] circuit_opened: " + TEXT, body.getJsonObject("content").getString("text"));
            assertFalse(body.containsKey("sign"));
            assertFalse(body.containsKey("timestamp"));
        }
    }

    @Test
    void feishuWithSecretSignsTimestampAndSecretAsFeishuVerifiesIt() throws Exception {
        TestClock clock = new TestClock(Instant.parse("2026-03-01T12:00:00Z"));
        String secret = "feishu-signing-secret";
        try (Receiver receiver = Receiver.start()) {
            Received got = deliver(receiver, new NotificationChannelConfig(NotificationChannelType.FEISHU,
                    receiver.url("/open-apis/bot/v2/hook/abc"), null, null, secret), clock);

            JsonObject body = Json.parse(got.body());
            String timestamp = body.getString("timestamp");
            assertEquals(String.valueOf(clock.instant().getEpochSecond()), timestamp);
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec((timestamp + "\n" + secret).getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            assertEquals(Base64.getEncoder().encodeToString(mac.doFinal(new byte[0])), body.getString("sign"));
            assertEquals("text", body.getString("msg_type"));
            assertEquals("[ai-gateway] circuit_opened: " + TEXT, body.getJsonObject("content").getString("text"));
            assertFalse(got.body().contains(secret));
        }
    }

    @Test
    void matrixPutsAnMTextMessageIntoTheRoomWithTheBearerToken() {
        try (Receiver receiver = Receiver.start()) {
            Received got = deliver(receiver, new NotificationChannelConfig(NotificationChannelType.MATRIX,
                    receiver.url(""), "!ops:example.org", "syt_matrix_token_123", null), new TestClock());

            assertEquals("PUT", got.method());
            String prefix = "/_matrix/client/v3/rooms/%21ops%3Aexample.org/send/m.room.message/";
            assertTrue(got.path().startsWith(prefix), got.path());
            assertTrue(got.path().length() > prefix.length(), "a transaction id: " + got.path());
            assertEquals("Bearer syt_matrix_token_123", got.header("Authorization"));
            JsonObject body = Json.parse(got.body());
            assertEquals("m.text", body.getString("msgtype"));
            assertEquals("[ai-gateway] circuit_opened: " + TEXT, body.getString("body"));
            assertFalse(got.body().contains("syt_matrix_token_123"));
        }
    }

    @Test
    void matrixRetriesKeepTheTransactionIdAndNewMessagesGetANewOne() {
        try (Receiver receiver = Receiver.start().answer(500);
             Notifier notifier = notifier(config(new NotificationChannelConfig(NotificationChannelType.MATRIX,
                     receiver.url("/"), "!ops:example.org", "syt_matrix_token_123", null)), new TestClock())) {
            notifier.publish(notification(NotificationEventType.CIRCUIT_OPENED, "a/gpt-4o", TEXT));
            Received first = receiver.take();
            notifier.publish(notification(NotificationEventType.CIRCUIT_OPENED, "b/gpt-4o", TEXT));
            Received second = receiver.take();

            assertEquals(3, receiver.attempts(), "the first message was retried once");
            assertEquals(java.util.List.of(first.path(), first.path(), second.path()), receiver.attemptedPaths());
            assertNotEquals(first.path(), second.path());
        }
    }

    @Test
    void jsonTextEscapesQuotesBackslashesAndControlCharacters() {
        assertEquals("\"a\\\"b\\\\c\\nd\\u0001\"", JsonText.quote("a\"b\\c\nd\u0001"));
    }
}
